# gnuplot -e "datafile='summary.csv'" plot.gp  (run-sweep.py does this in the results folder)
if (!exists("datafile")) datafile = 'summary.csv'
set datafile separator ','
set xlabel 'keepalive interval (s); mapping idle time 30 s'
set grid
set key bottom left
set yrange [0:105]
set ylabel 'stream delivered (%)'
set terminal pdfcairo enhanced font 'Helvetica,10' size 11cm,7cm
set output 'nat-behaviour.pdf'
plot datafile using 'keepalive':'delivery_pct':'delivery_pct_ci95' with yerrorlines title 'measured', \
     (x < 30 ? 100 : 100 * 30 / x) with lines dashtype 2 title 'min(1, idle/interval)'
set terminal pngcairo size 800,500
set output 'nat-behaviour.png'
replot
