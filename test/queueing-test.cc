/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/queueing.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

using namespace ns3::apartment;

namespace
{

/// B(A, c) from its definition, (A^c / c!) / sum_k A^k / k!, for small c only.
double
ErlangBDirect(double a, uint32_t c)
{
    long double term = 1;
    long double sum = 1;
    for (uint32_t k = 1; k <= c; ++k)
    {
        term *= a / k;
        sum += term;
    }
    return static_cast<double>(term / sum);
}

/// Erlang's and Crommelin's alternating sum for P(Wq <= t) of M/D/1 with D = 1: exact,
/// but only usable where its terms do not cancel (small rho t).
double
CrommelinWaitCdf(double rho, double t)
{
    long double sum = 0;
    for (int k = 0; k <= static_cast<int>(std::floor(t)); ++k)
    {
        const long double x = rho * (k - t);
        sum += std::pow(x, k) / std::tgamma(k + 1.0L) * std::exp(-x);
    }
    return static_cast<double>((1 - rho) * sum);
}

TEST(QueueingTest, ErlangBPublishedValues)
{
    // decisions.md: B(10, 17) = 0.012949, B(10, 18) = 0.0071424 (four significant digits).
    EXPECT_NEAR(Queueing::ErlangB(10, 17), 0.012949, 0.5e-6);
    EXPECT_NEAR(Queueing::ErlangB(10, 18), 0.0071424, 0.5e-7);
    EXPECT_EQ(std::round(Queueing::ErlangB(10, 17) * 1e6), 12949);
    EXPECT_EQ(std::round(Queueing::ErlangB(10, 18) * 1e7), 71424);
    // Small cases by hand: B(A, 1) = A / (1 + A); B(2, 2) = 2 / (1 + 2 + 2) = 0.4.
    EXPECT_DOUBLE_EQ(Queueing::ErlangB(1, 1), 0.5);
    EXPECT_DOUBLE_EQ(Queueing::ErlangB(2, 2), 0.4);
    EXPECT_DOUBLE_EQ(Queueing::ErlangB(3.5, 0), 1.0);
    EXPECT_DOUBLE_EQ(Queueing::ErlangB(0, 4), 0.0);
    for (double a : {0.1, 1.0, 4.2, 10.0, 25.0})
    {
        for (uint32_t c : {1u, 3u, 7u, 17u, 30u})
        {
            EXPECT_NEAR(Queueing::ErlangB(a, c) / ErlangBDirect(a, c), 1.0, 1e-12)
                << "A " << a << " c " << c;
        }
    }
    // Large systems: A^c / c! overflows a double, the recursion does not. Exact values
    // (rational arithmetic): B(100, 120) = 0.0056900546, B(1000, 1000) = 0.024811918.
    EXPECT_NEAR(Queueing::ErlangB(100, 120), 0.0056900546, 1e-10);
    EXPECT_NEAR(Queueing::ErlangB(1000, 1000), 0.024811918, 1e-9);
    EXPECT_GT(Queueing::ErlangB(1e5, 100000), 0.0);
    // More servers never block more; more traffic never blocks less.
    EXPECT_LT(Queueing::ErlangB(10, 18), Queueing::ErlangB(10, 17));
    EXPECT_GT(Queueing::ErlangB(11, 17), Queueing::ErlangB(10, 17));
    EXPECT_DOUBLE_EQ(Queueing::MmccBlocking(0.1, 100, 17), Queueing::ErlangB(10, 17));
}

TEST(QueueingTest, BadArgumentsAreRefused)
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_THROW(Queueing::ErlangB(-1, 3), std::invalid_argument);
    EXPECT_THROW(Queueing::ErlangB(nan, 3), std::invalid_argument);
    EXPECT_THROW(Queueing::ErlangB(inf, 3), std::invalid_argument);
    EXPECT_THROW(Queueing::MmccBlocking(1, -2, 3), std::invalid_argument);
    EXPECT_THROW(Queueing::Mg1Sojourn(-0.1, 1, 0), std::invalid_argument);
    EXPECT_THROW(Queueing::Mg1Sojourn(0.1, 1, -1), std::invalid_argument);
    EXPECT_THROW(Queueing::Md1Sojourn(0.1, nan), std::invalid_argument);
    EXPECT_THROW(Queueing::Md1NumberInSystem(1.0, 3), std::invalid_argument);
    EXPECT_THROW(Queueing::Md1WaitCdf(0.5, 1, nan), std::invalid_argument);
    EXPECT_THROW(Queueing::Md1SojournQuantile(0.5, 1, 1.0), std::invalid_argument);
    try
    {
        Queueing::ErlangB(-1, 3);
    }
    catch (const std::invalid_argument& e)
    {
        EXPECT_STREQ(e.what(),
                     "Queueing::ErlangB: the offered traffic must be finite and not "
                     "negative, not -1");
    }
}

TEST(QueueingTest, PollaczekKhinchine)
{
    // M/D/1, D = 1: W = 1 + rho / (2 (1 - rho)) (Kleinrock, Queueing Systems I, 5.73).
    EXPECT_DOUBLE_EQ(Queueing::Md1Sojourn(0.5, 1), 1.5);
    EXPECT_DOUBLE_EQ(Queueing::Md1Sojourn(0.8, 1), 3.0);
    EXPECT_NEAR(Queueing::Md1Sojourn(0.9, 1), 5.5, 1e-12);
    // Scaled: 100 messages/s at 5 ms each (rho 0.5): 5 ms + 2.5 ms.
    EXPECT_NEAR(Queueing::Md1Sojourn(100, 0.005), 0.0075, 1e-15);
    // M/M/1 (cs2 = 1): 1 / (mu - lambda).
    EXPECT_NEAR(Queueing::Mg1Sojourn(0.5, 1, 1), 2.0, 1e-12);
    EXPECT_NEAR(Queueing::Mg1Sojourn(3, 0.25, 1), 1.0, 1e-12);
    // M/D/1 waits half as long as M/M/1 at the same load.
    EXPECT_NEAR(Queueing::Md1Sojourn(0.7, 1) - 1, (Queueing::Mg1Sojourn(0.7, 1, 1) - 1) / 2, 1e-12);
    EXPECT_DOUBLE_EQ(Queueing::Md1Sojourn(0, 2), 2.0);
    EXPECT_TRUE(std::isinf(Queueing::Md1Sojourn(1, 1)));
    EXPECT_TRUE(std::isinf(Queueing::Mg1Sojourn(2, 1, 0.3)));
}

TEST(QueueingTest, Md1NumberInSystem)
{
    // Textbook closed forms (Gross and Harris): p0 = 1 - rho, p1 = (1 - rho)(e^rho - 1),
    // p2 = (1 - rho)(e^2rho - e^rho (1 + rho)).
    for (double rho : {0.2, 0.5, 0.8})
    {
        const auto p = Queueing::Md1NumberInSystem(rho, 2);
        ASSERT_EQ(p.size(), 3u);
        EXPECT_NEAR(p[0], 1 - rho, 1e-15);
        EXPECT_NEAR(p[1], (1 - rho) * (std::exp(rho) - 1), 1e-14);
        EXPECT_NEAR(p[2], (1 - rho) * (std::exp(2 * rho) - std::exp(rho) * (1 + rho)), 1e-14);
    }
    EXPECT_NEAR(Queueing::Md1NumberInSystem(0.5, 2)[1], 0.32436064, 1e-8);
    // Total 1, mean L = rho + rho^2 / (2 (1 - rho)) (Little with P-K), at high load too.
    const auto p = Queueing::Md1NumberInSystem(0.95, 2000);
    double total = 0;
    double mean = 0;
    for (size_t n = 0; n < p.size(); ++n)
    {
        EXPECT_GE(p[n], 0.0);
        total += p[n];
        mean += n * p[n];
    }
    EXPECT_NEAR(total, 1.0, 1e-12);
    EXPECT_NEAR(mean, 0.95 + 0.95 * 0.95 / 0.1, 1e-9);
}

TEST(QueueingTest, Md1WaitDistribution)
{
    EXPECT_DOUBLE_EQ(Queueing::Md1WaitCdf(0.5, 1, -0.1), 0.0);
    EXPECT_NEAR(Queueing::Md1WaitCdf(0.5, 1, 0), 0.5, 1e-15); // the atom: P(Wq = 0) = 1 - rho
    EXPECT_DOUBLE_EQ(Queueing::Md1WaitCdf(1.2, 1, 5), 0.0);
    // Below one service time: (1 - rho) e^{lambda t}.
    EXPECT_NEAR(Queueing::Md1WaitCdf(0.9, 1, 0.3), 0.1 * std::exp(0.27), 1e-14);
    // The classical formula where it can be evaluated, and the time scale.
    for (double t : {0.3, 1.0, 2.5, 4.7, 7.25})
    {
        EXPECT_NEAR(Queueing::Md1WaitCdf(0.5, 1, t), CrommelinWaitCdf(0.5, t), 1e-12) << t;
        EXPECT_NEAR(Queueing::Md1WaitCdf(50, 0.01, t / 100), CrommelinWaitCdf(0.5, t), 1e-12);
    }
    // Its mean, the integral of 1 - F, is P-K's rho D / (2 (1 - rho)) at high load.
    const double rho = 0.9;
    double mean = 0;
    const double h = 0.01;
    for (int i = 0; i < 12000; ++i)
    {
        mean += (1 - Queueing::Md1WaitCdf(rho, 1, (i + 0.5) * h)) * h;
    }
    EXPECT_NEAR(mean, rho / (2 * (1 - rho)), 1e-6);
}

TEST(QueueingTest, Md1SojournQuantile)
{
    // Light load: 95 % find the server free, so the 95th percentile is the service time.
    EXPECT_DOUBLE_EQ(Queueing::Md1SojournQuantile(0.04, 1, 0.95), 1.0);
    EXPECT_TRUE(std::isinf(Queueing::Md1SojournQuantile(1, 1, 0.95)));
    const double q = Queueing::Md1SojournQuantile(0.9, 1, 0.95);
    EXPECT_NEAR(Queueing::Md1WaitCdf(0.9, 1, q - 1), 0.95, 1e-8);
    EXPECT_NEAR(Queueing::Md1SojournQuantile(90, 0.01, 0.95), q / 100, 1e-9);
    EXPECT_LT(Queueing::Md1SojournQuantile(0.9, 1, 0.5), q);
    EXPECT_GT(q, Queueing::Md1Sojourn(0.9, 1));

    // Against a simulation: Lindley's recursion W' = max(0, W + D - A) over 1e7 customers
    // (waits are strongly correlated at this load; seeds spread by about 1 %), counted in
    // 0.01 D bins.
    std::mt19937_64 rng(12345);
    std::exponential_distribution<double> gap(0.9);
    std::vector<uint32_t> bins(40000, 0);
    const int n = 10000000;
    double w = 0;
    for (int i = 0; i < n; ++i)
    {
        bins[std::min<size_t>(static_cast<size_t>((w + 1) * 100), bins.size() - 1)]++;
        w = std::max(0.0, w + 1 - gap(rng));
    }
    uint64_t below = 0;
    size_t bin = 0;
    while (below + bins[bin] < 0.95 * n)
    {
        below += bins[bin++];
    }
    EXPECT_NEAR((bin + 0.5) / 100 / q, 1.0, 0.03) << "simulated " << (bin + 0.5) / 100;
}

} // namespace
