/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/scene-streams.h"

#include "ns3/abort.h"
#include "ns3/address-allocation-helper.h"
#include "ns3/apartment-topology-helper.h"
#include "ns3/log.h"
#include "ns3/nat-helper.h"
#include "ns3/pointer.h"
#include "ns3/traversal-helper.h"
#include "ns3/voip-helper.h"

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipSceneStreams");

SceneStreams::SceneStreams(int64_t base)
    : m_base(base),
      m_next(base)
{
    NS_ABORT_MSG_IF(base < 0, "SceneStreams: the base stream must not be negative");
}

int64_t
SceneStreams::Record(const std::string& part, int64_t count)
{
    NS_ABORT_MSG_IF(count < 0,
                    "SceneStreams: part " << part << " reported " << count << " streams");
    NS_LOG_FUNCTION(this << part << m_next << count);
    m_ranges.push_back({part, m_next, count});
    m_next += count;
    return count;
}

int64_t
SceneStreams::Assign(const std::string& part, const std::function<int64_t(int64_t)>& assign)
{
    NS_ABORT_MSG_IF(m_open,
                    "SceneStreams: " << part << " assigned after the open-ended part "
                                     << m_ranges.back().part << ", which takes every stream from "
                                     << m_ranges.back().first << " on");
    return Record(part, assign(m_next));
}

int64_t
SceneStreams::Assign(Ptr<ApartmentTopologyHelper> topology)
{
    return Assign("topology", [&topology](int64_t s) { return topology->AssignStreams(s); });
}

int64_t
SceneStreams::Assign(AddressAllocationHelper& alloc)
{
    return Assign("address management",
                  [&alloc](int64_t s) { return alloc.AssignStreams(s, false); });
}

int64_t
SceneStreams::AssignOpenEnded(AddressAllocationHelper& alloc)
{
    const int64_t used = Assign("address management (open-ended)",
                                [&alloc](int64_t s) { return alloc.AssignStreams(s, true); });
    m_open = true;
    return used;
}

int64_t
SceneStreams::Assign(VoipHelper& voip)
{
    return Assign("voip", [&voip](int64_t s) { return voip.AssignStreams(s); });
}

int64_t
SceneStreams::Assign(NatHelper& nat)
{
    return Assign("nat", [&nat](int64_t s) { return nat.AssignStreams(s); });
}

int64_t
SceneStreams::Assign(ApplicationContainer apps, const std::string& part)
{
    return Assign(part, [&apps](int64_t s) {
        // The two helpers fix disjoint application types, one after the other.
        const int64_t used = TraversalHelper::AssignStreams(apps, s);
        return used + AddressAllocationHelper::AssignStreams(apps, s + used);
    });
}

int64_t
SceneStreams::AssignVariable(Ptr<RandomVariableStream> variable, const std::string& part)
{
    NS_ABORT_MSG_IF(!variable, "SceneStreams: null random variable for " << part);
    return Assign(part, [&variable](int64_t s) {
        variable->SetStream(s);
        return int64_t{1};
    });
}

namespace
{

/// \return the streams \p model used from \p stream on (0 for models that draw nothing)
int64_t
AssignModel(Ptr<ErrorModel> model, int64_t stream)
{
    if (auto rate = DynamicCast<RateErrorModel>(model))
    {
        return rate->AssignStreams(stream);
    }
    if (auto burst = DynamicCast<BurstErrorModel>(model))
    {
        return burst->AssignStreams(stream);
    }
    return 0;
}

} // namespace

int64_t
SceneStreams::AssignErrorModel(Ptr<ErrorModel> model, const std::string& part)
{
    NS_ABORT_MSG_IF(!model, "SceneStreams: null error model for " << part);
    return Assign(part, [&model](int64_t s) { return AssignModel(model, s); });
}

int64_t
SceneStreams::AssignErrorModels(NodeContainer nodes)
{
    return Assign("error models", [&nodes](int64_t s) {
        int64_t used = 0;
        for (uint32_t i = 0; i < nodes.GetN(); ++i)
        {
            Ptr<Node> node = nodes.Get(i);
            for (uint32_t d = 0; d < node->GetNDevices(); ++d)
            {
                PointerValue model;
                if (node->GetDevice(d)->GetAttributeFailSafe("ReceiveErrorModel", model) &&
                    model.Get<ErrorModel>())
                {
                    used += AssignModel(model.Get<ErrorModel>(), s + used);
                }
            }
        }
        return used;
    });
}

int64_t
SceneStreams::GetBase() const
{
    return m_base;
}

int64_t
SceneStreams::GetNext() const
{
    return m_next;
}

int64_t
SceneStreams::GetUsed() const
{
    return m_next - m_base;
}

bool
SceneStreams::IsOpenEnded() const
{
    return m_open;
}

const std::vector<SceneStreams::Range>&
SceneStreams::GetRanges() const
{
    return m_ranges;
}

void
SceneStreams::Print(std::ostream& os) const
{
    for (const auto& r : m_ranges)
    {
        if (r.count > 0)
        {
            os << "streams " << r.first << "-" << r.first + r.count - 1 << " " << r.part << "\n";
        }
    }
}

} // namespace apartment
} // namespace ns3
