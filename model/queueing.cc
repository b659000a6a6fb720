/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/queueing.h"

#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace ns3
{
namespace apartment
{

namespace
{

constexpr double INF = std::numeric_limits<double>::infinity();

void
Require(bool ok, const char* function, const char* what, double value)
{
    if (!ok)
    {
        std::ostringstream s;
        s << "Queueing::" << function << ": " << what << ", not " << value;
        throw std::invalid_argument(s.str());
    }
}

void
RequireRateAndTime(const char* function, double arrivalRate, double service)
{
    Require(std::isfinite(arrivalRate) && arrivalRate >= 0,
            function,
            "the arrival rate must be finite and not negative",
            arrivalRate);
    Require(std::isfinite(service) && service >= 0,
            function,
            "the service time must be finite and not negative",
            service);
}

/// Q_m = P(N <= m), m = 0..nMax, of M/D/1 with load rho < 1.
std::vector<double>
Cumulative(double rho, uint32_t nMax)
{
    std::vector<double> q = Queueing::Md1NumberInSystem(rho, nMax);
    for (size_t i = 1; i < q.size(); ++i)
    {
        q[i] += q[i - 1];
    }
    return q;
}

/// P(Wq <= t) for t >= 0, rho < 1, D > 0, with q = Cumulative(rho, k) for k >= t/D + 1.
double
WaitCdf(double lambda, double d, double t, const std::vector<double>& q)
{
    const auto k = static_cast<uint32_t>(std::floor(t / d)) + 1;
    const double v = std::min(std::max(t - (k - 1) * d, 0.0), d);
    const double x = lambda * (d - v); // mean arrivals in D - v: at most rho
    double term = std::exp(-x);
    double sum = 0;
    for (uint32_t j = 0; j < k; ++j)
    {
        sum += term * q[k - j];
        term *= x / (j + 1);
    }
    return std::min(sum, 1.0);
}

} // namespace

double
Queueing::ErlangB(double offered, uint32_t servers)
{
    Require(std::isfinite(offered) && offered >= 0,
            "ErlangB",
            "the offered traffic must be finite and not negative",
            offered);
    double b = 1.0;
    for (uint32_t k = 1; k <= servers; ++k)
    {
        b = offered * b / (k + offered * b);
    }
    return b;
}

double
Queueing::MmccBlocking(double arrivalRate, double meanHolding, uint32_t servers)
{
    RequireRateAndTime("MmccBlocking", arrivalRate, meanHolding);
    return ErlangB(arrivalRate * meanHolding, servers);
}

double
Queueing::Mg1Sojourn(double arrivalRate, double meanService, double serviceScv)
{
    RequireRateAndTime("Mg1Sojourn", arrivalRate, meanService);
    Require(std::isfinite(serviceScv) && serviceScv >= 0,
            "Mg1Sojourn",
            "the squared coefficient of variation must be finite and not negative",
            serviceScv);
    const double rho = arrivalRate * meanService;
    if (rho >= 1)
    {
        return INF;
    }
    const double secondMoment = meanService * meanService * (1 + serviceScv);
    return meanService + arrivalRate * secondMoment / (2 * (1 - rho));
}

double
Queueing::Md1Sojourn(double arrivalRate, double serviceTime)
{
    RequireRateAndTime("Md1Sojourn", arrivalRate, serviceTime);
    return Mg1Sojourn(arrivalRate, serviceTime, 0);
}

std::vector<double>
Queueing::Md1NumberInSystem(double rho, uint32_t nMax)
{
    Require(std::isfinite(rho) && rho >= 0 && rho < 1,
            "Md1NumberInSystem",
            "the load must be at least 0 and below 1",
            rho);
    std::vector<double> p(nMax + 1, 0.0);
    p[0] = 1 - rho;
    if (rho == 0)
    {
        return p;
    }
    // tail[k] = P(more than k arrivals in one service) = P(k + 1, rho) (regularised gamma).
    std::vector<double> tail(nMax + 1);
    for (uint32_t k = 0; k <= nMax; ++k)
    {
        tail[k] = boost::math::gamma_p(k + 1.0, rho);
    }
    const double a0 = std::exp(-rho);
    for (uint32_t n = 0; n < nMax; ++n)
    {
        double up = p[0] * tail[n];
        for (uint32_t j = 1; j <= n; ++j)
        {
            up += p[j] * tail[n + 1 - j];
        }
        p[n + 1] = up / a0;
    }
    return p;
}

double
Queueing::Md1WaitCdf(double arrivalRate, double serviceTime, double t)
{
    RequireRateAndTime("Md1WaitCdf", arrivalRate, serviceTime);
    Require(!std::isnan(t), "Md1WaitCdf", "the time must be a number", t);
    const double rho = arrivalRate * serviceTime;
    if (t < 0 || rho >= 1)
    {
        return 0.0;
    }
    if (rho == 0 || std::isinf(t))
    {
        return 1.0;
    }
    const auto k = static_cast<uint32_t>(std::floor(t / serviceTime)) + 1;
    return WaitCdf(arrivalRate, serviceTime, t, Cumulative(rho, k));
}

double
Queueing::Md1SojournQuantile(double arrivalRate, double serviceTime, double p)
{
    RequireRateAndTime("Md1SojournQuantile", arrivalRate, serviceTime);
    Require(p >= 0 && p < 1, "Md1SojournQuantile", "the probability must be 0 to below 1", p);
    const double rho = arrivalRate * serviceTime;
    if (rho >= 1)
    {
        return INF;
    }
    if (rho == 0 || p <= 1 - rho) // the atom of the wait at 0
    {
        return serviceTime;
    }
    const double d = serviceTime;
    double lo = 0;
    double hi = d;
    while (Md1WaitCdf(arrivalRate, d, hi) < p)
    {
        lo = hi;
        hi *= 2;
    }
    const std::vector<double> q = Cumulative(rho, static_cast<uint32_t>(std::ceil(hi / d)) + 1);
    while (hi - lo > 1e-9 * hi)
    {
        const double mid = (lo + hi) / 2;
        (WaitCdf(arrivalRate, d, mid, q) < p ? lo : hi) = mid;
    }
    return d + (lo + hi) / 2;
}

} // namespace apartment
} // namespace ns3
