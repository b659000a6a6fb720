# gnuplot -e "datafile='summary.csv'" plot.gp  (run-sweep.py does this in the results folder).
# Blocked fraction of outside calls against offered traffic: simulation (mean and 95 % CI
# over runs) and Erlang B, B(A, c), on the same axes: a smooth curve from tools/queueing.py
# (the twin of Queueing::ErlangB, which the program's erlang_b column holds).
if (!exists("datafile")) datafile = 'summary.csv'
set datafile separator ','
set xlabel 'offered traffic A = attempts/s x mean holding time (Erlangs)'
set ylabel 'outside calls blocked (fraction of attempts)'
set grid
set key top left box opaque
set yrange [0:*]
set xrange [0:*]
set offsets 0, 0.5, 0, 0
tools = system("dirname ".ARG0)."/../../tools"
amax = system(sprintf("awk -F, 'NR > 1 && $2 > m { m = $2 } END { print m + 1 }' %s", datafile))
erlangB(c) = sprintf("< python3 -c 'import sys; sys.path.insert(0, \"%s\"); import queueing; [print(\"%%g,%%g\" %% (a / 20.0, queueing.erlang_b(a / 20.0, %s))) for a in range(2, int(20 * %s) + 1)]'", tools, c, amax)
lines(c) = sprintf("< awk -F, 'NR == 1 || $1 == %s' %s", c, datafile)
pools = system(sprintf("awk -F, 'NR > 1 { print $1 }' %s | sort -nu | tr '\\n' ' '", datafile))
do for [out in "pdf png"] {
    if (out eq "pdf") {
        set terminal pdfcairo enhanced font 'Helvetica,10' size 12cm,8cm
        set output 'trunk-blocking.pdf'
    } else {
        set terminal pngcairo enhanced size 900,600
        set output 'trunk-blocking.png'
    }
    plot for [i=1:words(pools)] lines(word(pools, i)) \
             using 'erlangs':'blocked_fraction':'blocked_fraction_ci95' \
             with yerrorbars pt (4 + 2 * i) ps 1.2 lc rgb 'black' \
             title sprintf('simulated, c = %s lines (95 %% CI)', word(pools, i)), \
         for [i=1:words(pools)] erlangB(word(pools, i)) using 1:2 \
             with lines dt i lw 1.5 lc rgb 'black' \
             title sprintf('Erlang B, B(A, %s)', word(pools, i))
}
