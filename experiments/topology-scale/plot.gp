# Plots summary.csv of tools/run-sweep.py (run in the results folder) as PDF and PNG.
if (!exists("datafile")) datafile = 'summary.csv'
set datafile separator ','
set logscale x
# A third of a decade of room on each side: at the data's own range the smallest and largest
# complexes sat on the frame, their points and CI bars half outside it.
fmin = system(sprintf("awk -F, 'NR > 1 && (m == \"\" || $1 < m) { m = $1 } END { print m }' %s", datafile)) + 0
fmax = system(sprintf("awk -F, 'NR > 1 && $1 > m { m = $1 } END { print m }' %s", datafile)) + 0
set xrange [fmin / 1.5:fmax * 1.5]
set grid
set key top left
set xlabel 'complex size (flats, 3 terminals each)'
set style line 1 lc rgb 'black' lw 1.5 pt 7 ps 0.6
do for [fmt in "pdf png"] {
    if (fmt eq "pdf") {
        set terminal pdfcairo enhanced font 'Helvetica,9' size 16cm,5.5cm
    } else {
        set terminal pngcairo enhanced font 'Helvetica,10' size 1400,480
    }
    set output 'topology-scale.'.fmt
    set multiplot layout 1,3
    set logscale y
    set ylabel 'build + route time, wall clock (s)'
    plot datafile using 'flats':'build_s':'build_s_ci95' with yerrorlines ls 1 title 'mean, 95 % CI'
    set ylabel 'memory for the topology (MiB)'
    plot datafile using 'flats':'topology_mib':'topology_mib_ci95' with yerrorlines ls 1 title 'peak RSS increase'
    unset logscale y
    set yrange [0:*]
    set ylabel 'wall clock per delivered packet (µs)'
    plot datafile using 'flats':'us_per_packet':'us_per_packet_ci95' with yerrorlines ls 1 title 'G.711 streams, all terminals'
    unset yrange
    unset multiplot
}
