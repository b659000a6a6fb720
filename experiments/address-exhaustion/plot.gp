# gnuplot -e "datafile='summary.csv'" plot.gp  (run-sweep.py does this in the results folder)
if (!exists("datafile")) datafile = 'summary.csv'
set datafile separator ','
pools = system(sprintf("awk -F, 'NR > 1 { print $2 }' %s | sort -nu | tr '\\n' ' '", datafile))
# Rows of one pool size (column 2 of summary.csv), header kept for the column names.
pool(p) = sprintf("< awk -F, 'NR == 1 || $2 == %s' %s", p, datafile)
set logscale x
set xrange [0.015:0.6]
# Tics at the swept rates: a log axis over 1.5 decades would label only 0.1.
set xtics (0.02, 0.05, 0.1, 0.2, 0.4)
set xlabel 'terminals switched on (1/s)'
set grid
# Samples left of left-justified text: right-justified, the key ran into the next panel in
# the PDF.
set key top left Left reverse
do for [out in "pdf png"] {
    if (out eq "pdf") {
        set terminal pdfcairo enhanced font 'Helvetica,10' size 16cm,7cm
        set output 'address-exhaustion.pdf'
    } else {
        set terminal pngcairo enhanced size 1400,550
        set output 'address-exhaustion.png'
    }
    set multiplot layout 1,2
    set ylabel 'terminals that never got an address (fraction)'
    set yrange [0:1]
    plot for [i=1:words(pools)] pool(word(pools, i)) using 'arrivalRate':'unserved_fraction':'unserved_fraction_ci95' \
        with yerrorlines lc rgb 'black' \
        dt i pt (4 + 2 * i) \
        title sprintf('%s blocks of 5 addresses', word(pools, i)), \
        for [i=1:words(pools)] (8.0 - word(pools, i)) / 8 with lines lc rgb 'gray60' lw 2 dt i \
        title (i == 1 ? 'limit (8 - blocks) / 8' : '')
    set ylabel 'mean setup time, first DISCOVER to ACK (s)'
    set logscale y
    # Key above the data (the setup times reach 10^2 s, the 8-block ones 10^{-4} s): at the
    # bottom it hid the 8-block point at 0.1/s.
    set key top right box opaque Left reverse
    set yrange [5e-5:1e4]
    set format y '10^{%L}'
    plot for [i=1:words(pools)] pool(word(pools, i)) using 'arrivalRate':'mean_setup_s':'mean_setup_s_ci95' \
        with yerrorlines lc rgb 'black' \
        dt i pt (4 + 2 * i) \
        title sprintf('%s blocks of 5 addresses', word(pools, i))
    unset logscale y
    set key top left noopaque nobox Left reverse
    set format y '%g'
    unset multiplot
}
