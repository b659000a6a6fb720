/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/e-model.h"

#include <algorithm>
#include <cmath>

namespace ns3
{
namespace apartment
{

double
EModel::DelayImpairment(double delayMs)
{
    double id = 0.024 * delayMs;
    if (delayMs > 177.3)
    {
        id += 0.11 * (delayMs - 177.3);
    }
    return id;
}

double
EModel::EffectiveEquipmentImpairment(double lossPercent, double ie, double bpl)
{
    if (lossPercent <= 0)
    {
        return ie;
    }
    return ie + (95.0 - ie) * lossPercent / (lossPercent + bpl);
}

double
EModel::RFactor(double delayMs, double lossPercent, double ie, double bpl)
{
    double r = R0 - DelayImpairment(delayMs) - EffectiveEquipmentImpairment(lossPercent, ie, bpl);
    return std::clamp(r, 0.0, 100.0);
}

double
EModel::Mos(double r)
{
    if (r <= 0)
    {
        return 1.0;
    }
    if (r >= 100)
    {
        return 4.5;
    }
    return 1.0 + 0.035 * r + 7e-6 * r * (r - 60.0) * (100.0 - r);
}

} // namespace apartment
} // namespace ns3
