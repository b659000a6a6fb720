# gnuplot -e "datafile='summary.csv'" plot-direct.gp  (run-sweep.py does this in the results
# folder). Incoming calls to the direct phone (seed-003 or STUN) that fail, and that succeed
# only through a retransmitted INVITE, against the keepalive interval (mean and 95 % CI over
# runs), per NAT idle timeout; one column per call holding time.
# Columns of summary.csv: mode, natIdle, holding, keepalive, then the measures.
if (!exists("datafile")) datafile = 'summary.csv'
set datafile separator ','
sel(m, i, h) = sprintf("< awk -F, 'NR == 1 || ($1 == \"%s\" && $2 == %s && $3 == %s)' %s", \
                       m, i, h, datafile)
idles = system(sprintf("awk -F, 'NR > 1 { print $2 }' %s | sort -nu | tr '\\n' ' '", datafile))
holds = system(sprintf("awk -F, 'NR > 1 { print $3 }' %s | sort -nu | tr '\\n' ' '", datafile))
modes = "seed003 stun"
# Model: the call arrives at a uniform phase of the keepalive cycle (interval K), the mapping
# is dead after I s of silence until the next keepalive recreates it (same public port); the
# INVITE is sent at 0, 0.5, 1.5, ... 31.5 s (Timer A until Timer B). Failed: dead for more
# than 31.5 s after the arrival; late: dead at the arrival but alive within 31.5 s. It
# ignores the refresh by the previous call's own SIP, so it is an upper bound for short gaps.
tb = 31.5
failed(K, I) = K > I + tb ? 100.0 * (K - I - tb) / K : 0
late(K, I) = K > I ? 100.0 * (K - I < tb ? K - I : tb) / K : 0
set samples 400
set grid
set logscale x
set xrange [10:250]
set xtics (15, 30, 45, 60, 90, 120, 180)
set xlabel 'keepalive interval (s)'
set key top left box opaque samplen 3 font ',8'
do for [out in "pdf png"] {
    if (out eq "pdf") {
        set terminal pdfcairo enhanced font 'Helvetica,9' size 18cm,13cm
        set output 'nat-behaviour-direct.pdf'
    } else {
        set terminal pngcairo enhanced size 1400,1000
        set output 'nat-behaviour-direct.png'
    }
    set multiplot layout 2,words(holds) title 'phone behind the NAPT registered outside: 20 incoming calls per run, idle gap exp. mean 60 s'
    do for [h=1:words(holds)] {
        set title sprintf('holding time %s s', word(holds, h))
        set ylabel 'incoming calls failed: no answer or media lost (%)'
        set yrange [-2:105]
        plot for [m=1:2] for [i=1:words(idles)] sel(word(modes, m), word(idles, i), word(holds, h)) \
                 using 'keepalive':'any_fail_pct':'any_fail_pct_ci95' with yerrorlines \
                 lc rgb 'black' dt 2 * i - 2 + m pt (2 * m + 4 + (i - 1)) \
                 title sprintf('%s, NAT idle %s s', word(modes, m), word(idles, i)), \
             for [i=1:words(idles)] failed(x, word(idles, i) + 0) with lines lw 2 lc rgb 'gray60' \
                 dt i title sprintf('model, NAT idle %s s', word(idles, i))
    }
    do for [h=1:words(holds)] {
        set title sprintf('holding time %s s', word(holds, h))
        set ylabel 'answered only after INVITE retransmission (%)'
        set yrange [-2:105]
        plot for [m=1:2] for [i=1:words(idles)] sel(word(modes, m), word(idles, i), word(holds, h)) \
                 using 'keepalive':'delayed_pct':'delayed_pct_ci95' with yerrorlines \
                 lc rgb 'black' dt 2 * i - 2 + m pt (2 * m + 4 + (i - 1)) \
                 title sprintf('%s, NAT idle %s s', word(modes, m), word(idles, i)), \
             for [i=1:words(idles)] late(x, word(idles, i) + 0) with lines lw 2 lc rgb 'gray60' \
                 dt i title sprintf('model, NAT idle %s s', word(idles, i))
    }
    unset multiplot
}
