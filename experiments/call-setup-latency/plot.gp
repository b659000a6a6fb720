# gnuplot -e "datafile='summary.csv'" plot.gp  (run-sweep.py does this in the results folder)
if (!exists("datafile")) datafile = 'summary.csv'
set datafile separator ','
set grid
delays = "10 50 150"
# Samples left of left-justified text: right-justified, the SRD panel's long model entry
# pushed its text into the next panel and left its own key box empty.
set key top left box opaque samplen 3 Left reverse
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
    # Head room for the key (five lines) above the highest error bar.
    set offsets 0, 0, graph 0.4, 0
    set label 1 "approx. model: 2d + 2.7 ms\n+ p (T1 + ring), same dash as d" \
        at graph 0.03, graph 0.74 left
    plot for [i=1:3] datafile using (100*column('loss')):(srd(word(delays, i) + 0)):'srd_ms_ci95' \
        with yerrorlines lc rgb 'black' dt i \
        pt (4 + 2 * i) title sprintf('%s ms WAN', word(delays, i)), \
        for [i=1:3] 2 * word(delays, i)  + 2.7 + x / 100.0 * 2500 with lines lc rgb 'gray40' \
        dt i \
        title (i == 1 ? 'approx. model (grey)' : '')
    unset label 1
    set ylabel 'answer delay beyond the ring (ms)'
    set offsets 0, 0, graph 0.2, 0
    plot for [i=1:3] datafile using (100*column('loss')):(ans(word(delays, i) + 0)):'answer_delay_ms_ci95' \
        with yerrorlines lc rgb 'black' dt i \
        pt (4 + 2 * i) title sprintf('%s ms WAN', word(delays, i))
    set ylabel 'MOS (E-model)'
    set offsets 0, 0, 0, 0
    set yrange [*:*]
    set key bottom left box opaque samplen 3 Left reverse
    plot for [i=1:3] datafile using (100*column('loss')):(mos(word(delays, i) + 0)):'mos_ci95' \
        with yerrorlines lc rgb 'black' dt i \
        pt (4 + 2 * i) title sprintf('%s ms WAN', word(delays, i))
    unset multiplot
    set key top left box opaque samplen 3 Left reverse
    set yrange [0:*]
}
