# gnuplot -e "datafile='summary.csv'" plot.gp  (run-sweep.py does this in the results folder)
if (!exists("datafile")) datafile = 'summary.csv'
set datafile separator ','
set grid
set key top left
set xlabel 'WAN packet loss per direction (%)'
set xrange [-1:21]
set yrange [0:*]
srd(d) = (column('delay') == d ? column('srd_ms') : 1/0)
ans(d) = (column('delay') == d ? column('answer_delay_ms') : 1/0)
mos(d) = (column('delay') == d ? column('mos') : 1/0)
do for [out in "pdf png"] {
    if (out eq "pdf") {
        set terminal pdfcairo enhanced font 'Helvetica,10' size 16cm,6.5cm
        set output 'call-setup-latency.pdf'
    } else {
        set terminal pngcairo enhanced size 1400,560
        set output 'call-setup-latency.png'
    }
    set multiplot layout 1,3
    set ylabel 'session request delay (ms)'
    plot for [d in "10 50 150"] datafile using (100*column('loss')):(srd(d+0)):'srd_ms_ci95' \
        with yerrorlines lc rgb 'black' dt (d eq '10' ? 1 : d eq '50' ? 2 : 3) \
        pt (d eq '10' ? 6 : d eq '50' ? 8 : 4) title sprintf('%s ms WAN', d), \
        for [d in "10 50 150"] 2 * d + 2.7 + x / 100.0 * 2500 with lines lc rgb 'gray40' \
        dt (d eq '10' ? 1 : d eq '50' ? 2 : 3) \
        title (d eq '10' ? 'approx. 2d + 2.7 ms + p (T1 + ring)' : '')
    set ylabel 'answer delay beyond the ring (ms)'
    plot for [d in "10 50 150"] datafile using (100*column('loss')):(ans(d+0)):'answer_delay_ms_ci95' \
        with yerrorlines lc rgb 'black' dt (d eq '10' ? 1 : d eq '50' ? 2 : 3) \
        pt (d eq '10' ? 6 : d eq '50' ? 8 : 4) title sprintf('%s ms WAN', d)
    set ylabel 'MOS (E-model)'
    set yrange [*:*]
    set key bottom left
    plot for [d in "10 50 150"] datafile using (100*column('loss')):(mos(d+0)):'mos_ci95' \
        with yerrorlines lc rgb 'black' dt (d eq '10' ? 1 : d eq '50' ? 2 : 3) \
        pt (d eq '10' ? 6 : d eq '50' ? 8 : 4) title sprintf('%s ms WAN', d)
    unset multiplot
    set key top left
    set yrange [0:*]
}
