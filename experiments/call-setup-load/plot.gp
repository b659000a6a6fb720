# gnuplot -e "datafile='summary.csv'" plot.gp  (run-sweep.py does this in the results folder).
# Call set-up against the offered load at the gatekeeper (mean and 95 % CI over runs).
# Columns of summary.csv: flats, household, nat, rate (the swept ones), then the measures.
if (!exists("datafile")) datafile = 'summary.csv'
set datafile separator ','
set datafile missing 'nan'
# Rows of one complex size with terminal numbers and no NAT; of the largest complex for a
# variant (household numbers, static NAT, NAPT).
sizes = system(sprintf("awk -F, 'NR > 1 { print $1 }' %s | sort -nu | tr '\\n' ' '", datafile))
big = word(sizes, words(sizes))
mid = word(sizes, (words(sizes) + 1) / 2)
# variants.ini: household numbers or a NAT present
variants = system(sprintf("awk -F, 'NR > 1 && ($2 == 1 || $3 != \"none\")' %s | wc -l", datafile)) + 0
# The variants sweep gets its own file name (tools/make-figures.sh copies both into doc/figures).
base = variants > 0 ? 'call-setup-load-variants' : 'call-setup-load'
sel(f, h, n) = sprintf("< awk -F, 'NR == 1 || ($1 == %s && $2 == %s && $3 == \"%s\")' %s", \
                       f, h, n, datafile)
service = system(sprintf("awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == \"service\") c = i } NR == 2 { print $c }' %s", datafile))
set grid
set xlabel 'offered load at the gatekeeper (call attempts/s)'
set key top left box opaque
set xrange [0:*]
# Room right of the highest rate: its points sat half outside the frame.
set offsets 0, 4, 0, 0
do for [out in "pdf png"] {
    if (out eq "pdf") {
        set terminal pdfcairo enhanced font 'Helvetica,9' size 18cm,13cm
        set output base.'.pdf'
    } else {
        set terminal pngcairo enhanced size 1400,1000
        set output base.'.png'
    }
    set multiplot layout 2,2 title sprintf('gatekeeper service time %s ms per SIP message (deterministic)', service)
    set ylabel 'session request delay, mean (ms)'
    set logscale y
    set yrange [1:*]
    # Head room for the key (six lines for the variants) above the highest error bar.
    set offsets 0, 4, graph (variants > 0 ? 0.4 : 0.1), 0
    if (variants > 0) {
        plot sel(mid, '0', 'none') using 'rate':'srd_ms':'srd_ms_ci95' with yerrorbars pt 6 \
                 lc rgb 'black' title sprintf('simulated, %s flats, terminal numbers', mid), \
             sel(mid, '0', 'none') using 'rate':'model_srd_ms' with lines lw 1.5 lc rgb 'black' \
                 title 'model: SRD_0 + 2 T_{M/D/1} + D', \
             sel(mid, '1', 'none') using 'rate':'srd_ms':'srd_ms_ci95' with yerrorbars pt 8 \
                 lc rgb 'black' title 'simulated, household numbers', \
             sel(mid, '1', 'none') using 'rate':'model_srd_ms' with lines dt 2 lw 1.5 \
                 lc rgb 'black' title 'model, household numbers', \
             sel(mid, '0', 'static') using 'rate':'srd_ms':'srd_ms_ci95' with yerrorbars pt 2 \
                 lc rgb 'black' title 'simulated, static NAT', \
             sel(mid, '0', 'napt') using 'rate':'srd_ms':'srd_ms_ci95' with yerrorbars pt 1 \
                 lc rgb 'black' title 'simulated, NAPT (media ports by PCP)'
    } else {
        plot for [i=1:words(sizes)] sel(word(sizes, i), '0', 'none') \
                 using 'rate':'srd_ms':'srd_ms_ci95' with yerrorbars pt (4 + 2 * i) \
                 lc rgb 'black' title sprintf('simulated, %s flats', word(sizes, i)), \
             sel(mid, '0', 'none') using 'rate':'model_srd_ms' with lines lw 1.5 lc rgb 'black' \
                 title sprintf('model: SRD_0 + 2 T_{M/D/1} + D (%s flats)', mid)
    }
    set offsets 0, 4, 0, 0
    set ylabel 'session request delay, 95th percentile (ms)'
    plot for [i=1:words(sizes)] sel(word(sizes, i), '0', 'none') \
             using 'rate':'srd_p95_ms':'srd_p95_ms_ci95' with yerrorlines pt (4 + 2 * i) \
             dt i lc rgb 'black' title sprintf('%s flats', word(sizes, i))
    unset logscale y
    set ylabel 'session establishment ratio (%)'
    set yrange [0:105]
    set key bottom left
    plot for [i=1:words(sizes)] sel(word(sizes, i), '0', 'none') \
             using 'rate':'ser_pct':'ser_pct_ci95' with yerrorlines pt (4 + 2 * i) dt i \
             lc rgb 'black' title sprintf('%s flats', word(sizes, i))
    set yrange [0:*]
    set key top left
    set ylabel 'SIP retransmissions per attempt'
    set y2label 'gatekeeper utilisation {/Symbol r}'
    set y2range [0:1.05]
    set y2tics 0.2
    plot for [i=1:words(sizes)] sel(word(sizes, i), '0', 'none') \
             using 'rate':'retx_per_call':'retx_per_call_ci95' with yerrorlines pt (4 + 2 * i) \
             dt i lc rgb 'black' title sprintf('retransmissions, %s flats', word(sizes, i)), \
         sel(mid, '0', 'none') using 'rate':'gk_rho' axes x1y2 with lines lw 3 lc rgb 'gray50' \
             title sprintf('utilisation, %s flats', mid)
    unset y2label
    unset y2tics
    set y2range [*:*]
    unset multiplot
}
