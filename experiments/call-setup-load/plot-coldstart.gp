# gnuplot -e "datafile='summary.csv'" plot-coldstart.gp  (run-sweep.py does this in the
# results folder of coldstart.ini). Cold start against registered terminals (mean and 95 % CI
# over runs). summary.csv: the swept columns (flats, household, nat, rate, start), then the
# measures.
if (!exists("datafile")) datafile = 'summary.csv'
set datafile separator ','
set datafile missing 'nan'
# The rows of one start mode (the column found by its name).
sel(s) = sprintf("< awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == \"start\") c = i } NR == 1 || $c == \"%s\"' %s", s, datafile)
col(name) = system(sprintf("awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == \"%s\") c = i } NR == 2 { print $c }' %s", name, datafile))
flats = col('flats')
service = system(sprintf("awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == \"service\") c = i } NR == 2 { print $c }' %s", datafile))
set grid
set xlabel 'offered Poisson load (call attempts/s)'
set key top left box opaque
set xrange [0:*]
# Room right of the highest rate: its points sat half outside the frame.
set offsets 0, 4, 0, 0
do for [out in "pdf png"] {
    if (out eq "pdf") {
        set terminal pdfcairo enhanced font 'Helvetica,9' size 18cm,19cm
        set output 'call-setup-load-coldstart.pdf'
    } else {
        set terminal pngcairo enhanced size 1400,1500
        set output 'call-setup-load-coldstart.png'
    }
    # The title states coldstart.ini's --switchOn=5 (the CSV row does not carry it).
    set multiplot layout 3,2 title sprintf("%s flats, gatekeeper %s ms per SIP message: terminals registered before the load, or cold\n(DHCP, REGISTER, then a first call each, switched on over the first 5 s while the load runs)", flats, service)
    set ylabel 'session request delay, mean (ms)'
    set logscale y
    set yrange [1:*]
    # Head room for the key above the highest error bar.
    set offsets 0, 4, graph 0.25, 0
    plot sel('registered') using 'rate':'srd_ms':'srd_ms_ci95' with yerrorbars pt 6 \
             lc rgb 'black' title 'simulated, registered', \
         sel('registered') using 'rate':'model_srd_ms' with lines lw 1.5 lc rgb 'black' \
             title 'model (M/D/1), registered', \
         sel('cold') using 'rate':'srd_ms':'srd_ms_ci95' with yerrorbars pt 7 \
             lc rgb 'black' title 'simulated, cold start', \
         sel('cold') using 'rate':'model_srd_ms' with lines dt 2 lw 1.5 lc rgb 'black' \
             title 'model (M/D/1, mean rate), cold start'
    set offsets 0, 4, 0, 0
    set ylabel 'session request delay, 95th percentile (ms)'
    plot sel('registered') using 'rate':'srd_p95_ms':'srd_p95_ms_ci95' with yerrorlines pt 6 \
             lc rgb 'black' title 'registered', \
         sel('cold') using 'rate':'srd_p95_ms':'srd_p95_ms_ci95' with yerrorlines pt 7 dt 2 \
             lc rgb 'black' title 'cold start'
    unset logscale y
    set ylabel 'session establishment ratio (%)'
    set yrange [0:105]
    set key bottom left
    plot sel('registered') using 'rate':'ser_pct':'ser_pct_ci95' with yerrorlines pt 6 \
             lc rgb 'black' title 'registered', \
         sel('cold') using 'rate':'ser_pct':'ser_pct_ci95' with yerrorlines pt 7 dt 2 \
             lc rgb 'black' title 'cold start'
    set yrange [0:*]
    set key top left
    set ylabel 'SIP retransmissions per attempt'
    plot sel('registered') using 'rate':'retx_per_call':'retx_per_call_ci95' with yerrorlines \
             pt 6 lc rgb 'black' title 'registered', \
         sel('cold') using 'rate':'retx_per_call':'retx_per_call_ci95' with yerrorlines pt 7 \
             dt 2 lc rgb 'black' title 'cold start'
    set ylabel 'gatekeeper utilisation {/Symbol r} (mean over the load)'
    set yrange [0:1.05]
    plot sel('registered') using 'rate':'gk_rho':'gk_rho_ci95' with yerrorlines pt 6 \
             lc rgb 'black' title 'registered', \
         sel('cold') using 'rate':'gk_rho':'gk_rho_ci95' with yerrorlines pt 7 dt 2 \
             lc rgb 'black' title 'cold start'
    set yrange [0:*]
    set ylabel 'switch-on to first answered call (s)'
    plot sel('cold') using 'rate':'first_call_s':'first_call_s_ci95' with yerrorlines pt 7 \
             lc rgb 'black' title 'cold start, mean', \
         sel('cold') using 'rate':'first_call_p95_s':'first_call_p95_s_ci95' with yerrorlines \
             pt 5 dt 2 lc rgb 'black' title 'cold start, 95th percentile'
    unset multiplot
}
