/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Prints model/queueing.cc's values on a grid, one "function arguments... value" line each,
 * for test/queueing-twin-test.py to compare with tools/queueing.py.
 */

#include "ns3/queueing.h"

#include <cstdio>

using namespace ns3::apartment;

int
main()
{
    for (double a : {0.0, 0.5, 3.0, 10.0, 17.5, 100.0, 1000.0})
    {
        for (unsigned c : {0u, 1u, 5u, 17u, 18u, 50u, 120u, 1000u})
        {
            std::printf("erlang_b %.17g %u %.17g\n", a, c, Queueing::ErlangB(a, c));
        }
    }
    for (double rho : {0.0, 0.1, 0.5, 0.8, 0.9, 0.95, 0.99})
    {
        const double d = 0.004; // a 4 ms service time, as a SIP proxy's
        const double lambda = rho / d;
        std::printf("md1_sojourn %.17g %.17g %.17g\n", lambda, d, Queueing::Md1Sojourn(lambda, d));
        for (double scv : {0.0, 0.5, 1.0, 2.0})
        {
            std::printf("mg1_sojourn %.17g %.17g %.17g %.17g\n",
                        lambda,
                        d,
                        scv,
                        Queueing::Mg1Sojourn(lambda, d, scv));
        }
        for (double t : {0.0, 0.001, 0.004, 0.0123, 0.05, 0.2})
        {
            std::printf("md1_wait_cdf %.17g %.17g %.17g %.17g\n",
                        lambda,
                        d,
                        t,
                        Queueing::Md1WaitCdf(lambda, d, t));
        }
        for (double p : {0.5, 0.9, 0.95, 0.99})
        {
            std::printf("md1_sojourn_quantile %.17g %.17g %.17g %.17g\n",
                        lambda,
                        d,
                        p,
                        Queueing::Md1SojournQuantile(lambda, d, p));
        }
    }
    return 0;
}
