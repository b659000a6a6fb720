# gnuplot -e "datafile='summary.csv'" plot.gp  (run-sweep.py does this in the results folder)
if (!exists("datafile")) datafile = 'summary.csv'
set datafile separator ','
set terminal pdfcairo enhanced font 'Helvetica,10' size 11cm,7cm
set output 'topology-scale.pdf'
set multiplot layout 1,2
set logscale x
set xlabel 'flats (3 terminals each)'
set grid
set key top left
set ylabel 'build + route time (s)'
plot datafile using 'flats':'build_s':'build_s_ci95' skip 0 with yerrorlines title 'build'
set ylabel 'wall clock per packet (µs)'
plot datafile using 'flats':'us_per_packet':'us_per_packet_ci95' with yerrorlines title 'forwarding'
unset multiplot
set terminal pngcairo size 1100,500
set output 'topology-scale.png'
set multiplot layout 1,2
set ylabel 'build + route time (s)'
plot datafile using 'flats':'build_s':'build_s_ci95' with yerrorlines title 'build'
set ylabel 'wall clock per packet (µs)'
plot datafile using 'flats':'us_per_packet':'us_per_packet_ci95' with yerrorlines title 'forwarding'
unset multiplot
