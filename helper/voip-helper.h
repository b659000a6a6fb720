/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_VOIP_HELPER_H
#define APARTMENT_VOIP_VOIP_HELPER_H

#include "ns3/apartment-topology-helper.h"
#include "ns3/call-metrics.h"
#include "ns3/gatekeeper.h"
#include "ns3/home-gateway.h"
#include "ns3/nat-traffic-control-layer.h"
#include "ns3/object-factory.h"
#include "ns3/sip-terminal.h"

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Installs the call side on a built ApartmentTopologyHelper: a Gatekeeper per
 * complex and one outside, a HomeGateway per flat, a SipTerminal per terminal and remote
 * phone; collects one CallRecord per call and side, and writes them as CSV or a table.
 */
class VoipHelper
{
  public:
    VoipHelper();

    /// \brief Sets an attribute of every SipTerminal installed afterwards.
    void SetTerminalAttribute(const std::string& name, const AttributeValue& value);
    /// \brief Sets an attribute of every proxy (gateway and gatekeeper) installed afterwards.
    void SetProxyAttribute(const std::string& name, const AttributeValue& value);
    /**
     * \brief Turns on the Poisson traffic model: every terminal and remote phone calls
     * any other number (terminal, household or remote phone) \p callsPerHour times an hour.
     */
    void SetTrafficModel(double callsPerHour, bool includeHouseholds = true);

    /**
     * \brief Installs the applications. Terminals start at \p start (staggered by 1 ms
     * each), proxies at 0.
     */
    void Install(Ptr<ApartmentTopologyHelper> topology, Time start = Seconds(0.1));

    /**
     * \brief Makes calls of complex \p complex work across its NAT (after Install() and
     * NatHelper::Install()).
     *
     * Gives the gatekeeper and every terminal of the complex a static 1:1 rule to a free
     * address of the complex's public /24 (keeping rules already there), sets the
     * gatekeeper's PublicAddress and an address translator built from the rules (Contact
     * and SDP addresses sent outside become public), and routes the outside gatekeeper's
     * calls for the complex to the gatekeeper's public address. Needs static terminal
     * addresses (AddressMode=Static). Requests the gatekeeper sends inside get their
     * Request-URI translated back (SetInboundTranslator), so no hairpinning is needed.
     * \return empty on success, else a sentence saying what is wrong
     */
    std::string UseNat(Ptr<ApartmentTopologyHelper> topology,
                       Ptr<NatTrafficControlLayer> nat,
                       uint32_t complex = 0);

    Ptr<SipTerminal> GetTerminal(Ptr<Node> node) const;
    Ptr<HomeGateway> GetGateway(Ptr<Node> node) const;
    Ptr<Gatekeeper> GetGatekeeper(uint32_t complex = 0) const;
    Ptr<Gatekeeper> GetOutsideGatekeeper() const;
    /// \return the terminals and remote phones, in install order
    const std::vector<Ptr<SipTerminal>>& GetAllTerminals() const;

    /**
     * \brief Fixes the random streams of every terminal, then of every proxy (service
     * time: outside gatekeeper, gatekeepers, home gateways).
     * \return the number of streams used
     */
    int64_t AssignStreams(int64_t stream);

    /// \return every record so far, in the order the calls ended
    const std::vector<CallRecord>& GetRecords() const;
    /// \return the originating records
    std::vector<CallRecord> GetOriginatingRecords() const;
    /// \return the terminating record of call \p callId that was answered, or the first one
    const CallRecord* FindCalleeRecord(const std::string& callId) const;
    SessionRatios GetRatios() const;

    /// \brief One CSV line per call (originating side, joined with the callee's media).
    void WriteCsv(std::ostream& os) const;
    /// \brief A readable table of the calls.
    void PrintTable(std::ostream& os) const;

  private:
    void OnCallEnded(const CallRecord& record);

    ObjectFactory m_terminalFactory;
    std::vector<std::pair<std::string, Ptr<AttributeValue>>> m_proxyAttributes;
    double m_callsPerHour{0};
    bool m_includeHouseholds{true};
    std::vector<Ptr<SipTerminal>> m_terminals;
    std::map<uint32_t, Ptr<SipTerminal>> m_terminalByNode;
    std::map<uint32_t, Ptr<HomeGateway>> m_gatewayByNode;
    std::vector<Ptr<Gatekeeper>> m_gatekeepers;
    Ptr<Gatekeeper> m_outsideGatekeeper;
    std::vector<CallRecord> m_records;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_VOIP_HELPER_H */
