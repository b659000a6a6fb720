#!/usr/bin/env python3
"""Queueing formulas for the plot scripts: the Python twin of model/queueing.{h,cc}.

Same functions, same methods, same results (ctest tools.queueing-twin compares them with
the C++ to 1e-9). See the C++ header and doc/ for the formulas.

    python3 tools/queueing.py erlang-b A C
    python3 tools/queueing.py md1-sojourn LAMBDA D
    python3 tools/queueing.py md1-sojourn-quantile LAMBDA D P
"""
import math
import sys


def _require(ok, function, what, value):
    if not ok:
        raise ValueError("%s: %s, not %r" % (function, what, value))


def _rate_and_time(function, rate, service):
    _require(math.isfinite(rate) and rate >= 0, function,
             "the arrival rate must be finite and not negative", rate)
    _require(math.isfinite(service) and service >= 0, function,
             "the service time must be finite and not negative", service)


def erlang_b(offered, servers):
    """B(A, c) by the recursion B(A, k) = A B(A, k-1) / (k + A B(A, k-1)), B(A, 0) = 1."""
    _require(math.isfinite(offered) and offered >= 0, "erlang_b",
             "the offered traffic must be finite and not negative", offered)
    _require(int(servers) == servers and servers >= 0, "erlang_b",
             "the number of servers must be a whole number, not negative", servers)
    b = 1.0
    for k in range(1, int(servers) + 1):
        b = offered * b / (k + offered * b)
    return b


def mmcc_blocking(rate, mean_holding, servers):
    _rate_and_time("mmcc_blocking", rate, mean_holding)
    return erlang_b(rate * mean_holding, servers)


def mg1_sojourn(rate, mean_service, scv):
    """Pollaczek-Khinchine mean sojourn time; inf at a load of 1 or more."""
    _rate_and_time("mg1_sojourn", rate, mean_service)
    _require(math.isfinite(scv) and scv >= 0, "mg1_sojourn",
             "the squared coefficient of variation must be finite and not negative", scv)
    rho = rate * mean_service
    if rho >= 1:
        return math.inf
    return mean_service + rate * mean_service ** 2 * (1 + scv) / (2 * (1 - rho))


def md1_sojourn(rate, service):
    _rate_and_time("md1_sojourn", rate, service)
    return mg1_sojourn(rate, service, 0.0)


def _poisson_tail(k, mean):
    """P(Poisson(mean) > k), summed from the tail (no 1 - cdf cancellation)."""
    i = k + 1
    term = math.exp(-mean + i * math.log(mean) - math.lgamma(i + 1))
    total = 0.0
    while term > 0 and term > total * 1e-17:
        total += term
        i += 1
        term *= mean / i
    return total


def md1_number_in_system(rho, n_max):
    """p_0 .. p_nMax of M/D/1 by level crossing (positive terms only)."""
    _require(math.isfinite(rho) and 0 <= rho < 1, "md1_number_in_system",
             "the load must be at least 0 and below 1", rho)
    p = [0.0] * (n_max + 1)
    p[0] = 1 - rho
    if rho == 0:
        return p
    tail = [_poisson_tail(k, rho) for k in range(n_max + 1)]
    a0 = math.exp(-rho)
    for n in range(n_max):
        up = p[0] * tail[n] + sum(p[j] * tail[n + 1 - j] for j in range(1, n + 1))
        p[n + 1] = up / a0
    return p


def _cumulative(rho, n_max):
    q = md1_number_in_system(rho, n_max)
    for i in range(1, len(q)):
        q[i] += q[i - 1]
    return q


def _wait_cdf(rate, d, t, q):
    k = int(math.floor(t / d)) + 1
    v = min(max(t - (k - 1) * d, 0.0), d)
    x = rate * (d - v)
    term, total = math.exp(-x), 0.0
    for j in range(k):
        total += term * q[k - j]
        term *= x / (j + 1)
    return min(total, 1.0)


def md1_wait_cdf(rate, service, t):
    """P(Wq <= t) of M/D/1."""
    _rate_and_time("md1_wait_cdf", rate, service)
    _require(not math.isnan(t), "md1_wait_cdf", "the time must be a number", t)
    rho = rate * service
    if t < 0 or rho >= 1:
        return 0.0
    if rho == 0 or math.isinf(t):
        return 1.0
    k = int(math.floor(t / service)) + 1
    return _wait_cdf(rate, service, t, _cumulative(rho, k))


def md1_sojourn_quantile(rate, service, p):
    """p-quantile of the M/D/1 sojourn time; inf at a load of 1 or more."""
    _rate_and_time("md1_sojourn_quantile", rate, service)
    _require(0 <= p < 1, "md1_sojourn_quantile", "the probability must be 0 to below 1", p)
    rho = rate * service
    if rho >= 1:
        return math.inf
    if rho == 0 or p <= 1 - rho:
        return service
    d, lo, hi = service, 0.0, service
    while md1_wait_cdf(rate, d, hi) < p:
        lo, hi = hi, hi * 2
    q = _cumulative(rho, int(math.ceil(hi / d)) + 1)
    while hi - lo > 1e-9 * hi:
        mid = (lo + hi) / 2
        if _wait_cdf(rate, d, mid, q) < p:
            lo = mid
        else:
            hi = mid
    return d + (lo + hi) / 2


def main(argv):
    functions = {"erlang-b": (erlang_b, (float, int)),
                 "mmcc-blocking": (mmcc_blocking, (float, float, int)),
                 "mg1-sojourn": (mg1_sojourn, (float, float, float)),
                 "md1-sojourn": (md1_sojourn, (float, float)),
                 "md1-wait-cdf": (md1_wait_cdf, (float, float, float)),
                 "md1-sojourn-quantile": (md1_sojourn_quantile, (float, float, float))}
    if not argv or argv[0] not in functions:
        print(__doc__.strip() + "\nfunctions: " + " ".join(functions), file=sys.stderr)
        return 2
    f, types = functions[argv[0]]
    if len(argv) - 1 != len(types):
        print("queueing: %s takes %d numbers" % (argv[0], len(types)), file=sys.stderr)
        return 2
    try:
        print("%.10g" % f(*[t(a) for t, a in zip(types, argv[1:])]))
    except ValueError as e:
        print("queueing: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
