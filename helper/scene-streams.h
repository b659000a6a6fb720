/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_SCENE_STREAMS_H
#define APARTMENT_VOIP_SCENE_STREAMS_H

#include "ns3/application-container.h"
#include "ns3/error-model.h"
#include "ns3/node-container.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{
namespace apartment
{

class AddressAllocationHelper;
class ApartmentTopologyHelper;
class NatHelper;
class VoipHelper;

/**
 * \ingroup apartment-voip
 * \brief The one AssignStreams chain of a scene: hands every randomised part the next free
 * random streams, so that no two parts share one whatever the size of the scene.
 *
 * ns-3 gives each helper an AssignStreams(stream) that returns how many streams it used;
 * a program that picks a fixed base per helper overlaps as soon as a part grows past the
 * next base. A scene makes one SceneStreams and passes it every part, in a fixed order,
 * once everything is installed:
 *
 * \code
 *   SceneStreams streams(1);
 *   streams.AssignVariable(myVariable, "program"); // the program's own draws
 *   streams.Assign(topology);                // ARP jitter, CSMA back-off
 *   streams.Assign(alloc);                   // DHCP clients
 *   streams.Assign(voip);                    // phones, proxies, PCP binders
 *   streams.Assign(nat);                     // the NAT (no draws today)
 *   streams.Assign(directPhoneApps, "traversal");
 *   streams.AssignErrorModels(topology->GetAllNodes());
 *   int64_t used = streams.GetUsed();        // next free stream: streams.GetNext()
 * \endcode
 *
 * Each part gets the range [next, next + n) where n is what its AssignStreams returned;
 * the ranges are recorded (GetRanges) and contiguous, and GetNext() is always
 * base + GetUsed(). Parts installed after their Assign are not covered: assign last.
 * AssignOpenEnded hands the address management every stream from the current one on (for
 * DHCP clients installed during the run); nothing can be assigned after it.
 */
class SceneStreams
{
  public:
    /// One part's streams: [first, first + count).
    struct Range
    {
        std::string part; //!< the name the part was assigned under
        int64_t first;    //!< its first stream
        int64_t count;    //!< how many it used (from first on)
    };

    /**
     * \brief A chain whose first part gets stream \p base.
     * \param base the first stream (0 or more; ns-3 keeps the streams from 2^63 on for the
     *        variables no AssignStreams fixed)
     */
    explicit SceneStreams(int64_t base = 0);

    /**
     * \brief The topology's draws: every Internet stack (ARP jitter...) and CSMA device.
     * \return the number of streams used
     */
    int64_t Assign(Ptr<ApartmentTopologyHelper> topology);
    /**
     * \brief The DHCP clients \p alloc installed so far; one it installs later keeps ns-3's
     * automatic stream (deterministic, disjoint from every fixed one).
     * \return the number of streams used
     */
    int64_t Assign(AddressAllocationHelper& alloc);
    /**
     * \brief Phones, proxies and PCP binders (VoipHelper::AssignStreams).
     * \return the number of streams used
     */
    int64_t Assign(VoipHelper& voip);
    /**
     * \brief The NAT (NatHelper::AssignStreams).
     * \return the number of streams used
     */
    int64_t Assign(NatHelper& nat);
    /**
     * \brief The StunClients, SipTerminals (e.g. TraversalHelper's direct phones) and
     * TerminalDhcpClients among \p apps.
     * \param apps the applications
     * \param part the name the range is recorded under
     * \return the number of streams used
     */
    int64_t Assign(ApplicationContainer apps, const std::string& part);
    /**
     * \brief One random variable of the program itself.
     * \param variable the variable (its stream is set)
     * \param part the name the range is recorded under
     * \return 1
     */
    int64_t AssignVariable(Ptr<RandomVariableStream> variable, const std::string& part);
    /**
     * \brief One error model: a RateErrorModel or BurstErrorModel (the others draw nothing).
     * \param model the error model
     * \param part the name the range is recorded under
     * \return the number of streams used
     */
    int64_t AssignErrorModel(Ptr<ErrorModel> model, const std::string& part);
    /**
     * \brief Every error model on the devices of \p nodes ("ReceiveErrorModel" of CSMA,
     * point-to-point and simple devices), in node and device order, as one range.
     * \return the number of streams used
     */
    int64_t AssignErrorModels(NodeContainer nodes);
    /**
     * \brief Any other part: \p assign gets the first free stream and returns how many it used.
     * \param part the name the range is recorded under
     * \param assign the part's AssignStreams
     * \return the number of streams used
     */
    int64_t Assign(const std::string& part, const std::function<int64_t(int64_t)>& assign);
    /**
     * \brief The address management last: the DHCP clients \p alloc installed so far and
     * those it installs later take every stream from the current one on. Nothing can be
     * assigned after this.
     * \return the number of streams used so far
     */
    int64_t AssignOpenEnded(AddressAllocationHelper& alloc);

    /// \return the first stream of the chain
    int64_t GetBase() const;
    /// \return the next free stream: GetBase() + GetUsed()
    int64_t GetNext() const;
    /// \return the number of streams the parts used so far
    int64_t GetUsed() const;
    /// \return whether AssignOpenEnded was called (the chain then has no end)
    bool IsOpenEnded() const;
    /// \return the parts' ranges, in the order they were assigned
    const std::vector<Range>& GetRanges() const;
    /// \brief Writes one line per part: "streams FIRST-LAST part" (nothing for empty parts).
    void Print(std::ostream& os) const;

  private:
    /// Records \p count streams for \p part from m_next and moves m_next on.
    int64_t Record(const std::string& part, int64_t count);

    int64_t m_base;              //!< first stream
    int64_t m_next;              //!< next free stream
    bool m_open{false};          //!< an open-ended part took the rest
    std::vector<Range> m_ranges; //!< one per part, in order
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_SCENE_STREAMS_H */
