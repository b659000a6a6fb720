# gnuplot -e "datafile='summary.csv'" plot-mmcc.gp  (run-sweep.py does this in the results
# folder). Blocked fraction against offered traffic, simulation (mean and 95 % CI over
# runs) and Erlang B on the same axes.
if (!exists("datafile")) datafile = 'summary.csv'
set datafile separator ','
holding = 100.0   # mean lifetime in seconds, as in mmcc.ini
pools = "5 10"
pool(p) = sprintf("< awk -F, 'NR == 1 || $2 == %s' %s", p, datafile)
# Erlang B by the stable recursion, in its inverse form: 1/B(A,k) = 1 + k/A * 1/B(A,k-1).
invB(A, k) = k <= 0 ? 1.0 : 1.0 + k / A * invB(A, k - 1)
erlangB(A, c) = 1.0 / invB(A, c)
set xlabel 'offered traffic A = arrival rate x mean lifetime (Erlangs)'
set ylabel 'terminals blocked: no address (fraction)'
set grid
set key top left box opaque
set xrange [0:21]
set yrange [0:0.8]
set samples 211
do for [out in "pdf png"] {
    if (out eq "pdf") {
        set terminal pdfcairo enhanced font 'Helvetica,10' size 12cm,8cm
        set output 'address-exhaustion-mmcc.pdf'
    } else {
        set terminal pngcairo enhanced size 900,600
        set output 'address-exhaustion-mmcc.png'
    }
    plot for [i=1:2] pool(word(pools, i)) \
             using (holding * column('arrivalRate')):'unserved_fraction':'unserved_fraction_ci95' \
             with yerrorbars pt (4 + 2 * i) ps 1.2 lc rgb 'black' \
             title sprintf('simulated, c = %s addresses (95 %% CI)', word(pools, i)), \
         for [i=1:2] erlangB(x, word(pools, i) + 0) with lines dt i lw 1.5 lc rgb 'black' \
             title sprintf('Erlang B, B(A, %s)', word(pools, i))
}
