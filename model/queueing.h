/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_QUEUEING_H
#define APARTMENT_VOIP_QUEUEING_H

#include <cstdint>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Queueing formulas the experiments are checked against (plain functions).
 *
 * Loss systems: Erlang B, B(A, c), by the recursion B(A, 0) = 1,
 * B(A, k) = A B(A, k-1) / (k + A B(A, k-1)), which never overflows (unlike A^c / c!).
 * Delay systems with one server, Poisson arrivals (rate lambda) and FCFS: mean sojourn
 * time (wait plus service) of M/G/1 by Pollaczek-Khinchine, M/D/1 as its special case, and
 * the M/D/1 waiting-time distribution and sojourn-time quantiles, exact, from the number in
 * system at an arbitrary time (Franx 2001's argument for M/D/c, with c = 1):
 * P(Wq <= (k-1)D + v) = sum_{j=0}^{k-1} e^{-lambda(D-v)} (lambda(D-v))^j / j! Q_{k-j} for
 * k >= 1 and 0 <= v < D, with Q_m = P(N <= m); every term is positive, so it stays accurate
 * at high load where the classical alternating sum of Erlang and Crommelin does not.
 *
 * Bad arguments (negative, not finite, a probability outside 0-1) throw
 * std::invalid_argument with a sentence; a load of 1 or more gives +infinity for a delay.
 */
class Queueing
{
  public:
    /**
     * \param offered offered traffic A in Erlangs (arrival rate x mean holding time), >= 0
     * \param servers number of servers (trunks, addresses) c
     * \return the blocking probability B(A, c) of M/M/c/c (and of M/G/c/c: insensitive)
     */
    static double ErlangB(double offered, uint32_t servers);

    /// \return B(arrivalRate * meanHolding, servers): the blocking of M/M/c/c
    static double MmccBlocking(double arrivalRate, double meanHolding, uint32_t servers);

    /**
     * \brief Pollaczek-Khinchine: mean sojourn time of M/G/1.
     *
     * W = E[S] + lambda E[S^2] / (2 (1 - rho)), E[S^2] = E[S]^2 (1 + cs2), rho = lambda E[S].
     * \param arrivalRate lambda (per second)
     * \param meanService E[S] (seconds)
     * \param serviceScv squared coefficient of variation of the service time: 0 for a
     *        constant (M/D/1), 1 for an exponential (M/M/1)
     * \return the mean time in system (seconds); +infinity if rho >= 1
     */
    static double Mg1Sojourn(double arrivalRate, double meanService, double serviceScv);

    /// \return the mean sojourn time of M/D/1: D + rho D / (2 (1 - rho)); +inf if rho >= 1
    static double Md1Sojourn(double arrivalRate, double serviceTime);

    /**
     * \brief Distribution of the number in system N of M/D/1 with load \p rho < 1.
     *
     * From the departure chain (same distribution as at an arbitrary time, for M/G/1), by
     * level crossing: p_0 = 1 - rho, p_{n+1} a_0 = p_0 A_n + sum_{j=1}^n p_j A_{n+1-j},
     * a_k = P(k arrivals in a service), A_k = P(more than k): positive terms only.
     * \return p_0 ... p_nMax
     */
    static std::vector<double> Md1NumberInSystem(double rho, uint32_t nMax);

    /// \return P(Wq <= t) of M/D/1 (t in seconds; 0 below 0, 1 - rho at 0)
    static double Md1WaitCdf(double arrivalRate, double serviceTime, double t);

    /**
     * \return the p-quantile of the M/D/1 sojourn time (seconds): D plus the p-quantile of
     * the wait, found by bisection to 1e-9 relative; +infinity if rho >= 1
     */
    static double Md1SojournQuantile(double arrivalRate, double serviceTime, double p);
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_QUEUEING_H */
