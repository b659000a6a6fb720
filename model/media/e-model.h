/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_E_MODEL_H
#define APARTMENT_VOIP_E_MODEL_H

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Simplified ITU-T G.107 E-model: R = 93.2 - Id - Ie,eff.
 *
 * Id = 0.024 d + 0.11 (d - 177.3) H(d - 177.3) with d the one-way mouth-to-ear delay in
 * ms; Ie,eff = Ie + (95 - Ie) Ppl / (Ppl + Bpl) with Ppl the packet loss in percent.
 */
class EModel
{
  public:
    /// Default R of G.107 with every other factor at its default value.
    static constexpr double R0 = 93.2;

    /// \return Id for one-way delay \p delayMs
    static double DelayImpairment(double delayMs);
    /// \return Ie,eff for \p lossPercent with codec impairment \p ie and robustness \p bpl
    static double EffectiveEquipmentImpairment(double lossPercent, double ie, double bpl);
    /// \return R, clamped to 0-100
    static double RFactor(double delayMs, double lossPercent, double ie = 0.0, double bpl = 25.1);
    /// \return MOS from R (G.107 Annex B): 1 below 0, 4.5 above 100
    static double Mos(double r);
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_E_MODEL_H */
