# gnuplot -e "datafile='summary.csv'" plot.gp  (run-sweep.py does this in the results folder)
# Share of the stream delivered (mean and 95 % CI over runs) against the keepalive
# interval, with the model min(1, idle / interval) for the kept mapping's 30 s idle time.
if (!exists("datafile")) datafile = 'summary.csv'
set datafile separator ','
set xlabel 'keepalive interval (s); kept mapping idle time 30 s'
set ylabel 'stream delivered (% of packets)'
set grid
set key bottom left box opaque
set yrange [0:105]
set xrange [0:*]
# Room right of the longest interval: its point sat half outside the frame.
set offsets 0, 5, 0, 0
set samples 500
do for [out in "pdf png"] {
    if (out eq "pdf") {
        set terminal pdfcairo enhanced font 'Helvetica,10' size 12cm,8cm
        set output 'nat-behaviour.pdf'
    } else {
        set terminal pngcairo enhanced size 900,600
        set output 'nat-behaviour.png'
    }
    plot datafile using 'keepalive':'delivery_pct':'delivery_pct_ci95' with yerrorbars \
             pt 6 ps 1.2 lc rgb 'black' title 'simulated (95 % CI)', \
         (x < 30 ? 100 : 100 * 30 / x) with lines dt 2 lw 1.5 lc rgb 'black' \
             title 'model: min(1, idle / interval)'
}
