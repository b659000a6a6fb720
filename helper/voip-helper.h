/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_VOIP_HELPER_H
#define APARTMENT_VOIP_VOIP_HELPER_H

#include "ns3/apartment-topology-helper.h"
#include "ns3/call-metrics.h"
#include "ns3/call-nat-binder.h"
#include "ns3/gatekeeper.h"
#include "ns3/home-gateway.h"
#include "ns3/nat-traffic-control-layer.h"
#include "ns3/object-factory.h"
#include "ns3/pcp-server-application.h"
#include "ns3/sip-terminal.h"
#include "ns3/terminal-dhcp-client.h"

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{
namespace apartment
{

/// How the calls of a complex cross its NAT (VoipHelper::UseNat).
enum class CallNatMode
{
    STATIC, //!< a static 1:1 rule (public address) per terminal
    POOL,   //!< a pool address per terminal per active call, asked for by PCP
    NAPT,   //!< one public address, a port mapping per media stream per call, by PCP
};

/// \return "static", "pool" or "napt"
std::string ToString(CallNatMode mode);

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
     * \brief Sets an attribute of every Gatekeeper installed afterwards (e.g.
     * AuthenticateInvite, DigestAlgorithm, CredentialSecret).
     */
    void SetGatekeeperAttribute(const std::string& name, const AttributeValue& value);
    /**
     * \brief Turns on the Poisson traffic model: every terminal and remote phone calls
     * any other number (terminal, household or remote phone) \p callsPerHour times an hour.
     */
    void SetTrafficModel(double callsPerHour, bool includeHouseholds = true);

    /**
     * \brief Installs the applications. Terminals start at \p start (staggered by 1 ms
     * each), proxies at 0.
     *
     * Each terminal and remote phone gets the digest password (SipTerminal Password) its
     * gatekeeper knows for its number (Gatekeeper::GetPassword: derived from the
     * gatekeeper's CredentialSecret), and no other: it cannot register or call as another
     * number.
     *
     * With the topology's HomeNat (double NAT), every home gateway also gets a
     * PcpServerApplication for its own NAT (the gateway its only third-party client) and a
     * CallNatBinder that asks it, over the gateway's loopback, for its terminals' mappings
     * (HomeGateway::SetCallNatBinder).
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
     * addresses (AddressMode=Static). With the topology's HomeNat the rules are per flat
     * (the gateway's NAT address, which its terminals' Contact and SDP carry). Requests the
     * gatekeeper sends inside get their Request-URI translated back (SetInboundTranslator), so no
     * hairpinning is needed. \return empty on success, else a sentence saying what is wrong
     */
    std::string UseNat(Ptr<ApartmentTopologyHelper> topology,
                       Ptr<NatTrafficControlLayer> nat,
                       uint32_t complex = 0);
    /**
     * \brief As UseNat(topology, nat, complex) for CallNatMode::STATIC; for POOL and NAPT:
     *
     * The gatekeeper gets a static 1:1 rule (its SIP is the only inside host reached from
     * outside by address), a PcpServerApplication goes on the NAT router with the gatekeeper
     * as its only third-party client, and the gatekeeper gets a CallNatBinder that asks it
     * for the mappings of each call's inside endpoints (Contact and media) and releases them
     * when the call ends. POOL needs the NAT in Mode=Pool with the pool as its public
     * addresses (an exhausted pool answers the call 503); NAPT needs Mode=Napt (by default
     * the NAT router's WAN address). Terminal addresses may be static or dynamic.
     * \return empty on success, else a sentence saying what is wrong
     */
    std::string UseNat(Ptr<ApartmentTopologyHelper> topology,
                       Ptr<NatTrafficControlLayer> nat,
                       uint32_t complex,
                       CallNatMode mode);
    /// \return the NAT side of the gatekeeper of \p complex (POOL, NAPT), or null
    Ptr<CallNatBinder> GetCallNatBinder(uint32_t complex = 0) const;
    /// \return the PCP server on the NAT router of \p complex (POOL, NAPT), or null
    Ptr<PcpServerApplication> GetPcpServer(uint32_t complex = 0) const;
    /// \return the PCP server on home gateway node \p gateway (HomeNat), or null
    Ptr<PcpServerApplication> GetHomePcpServer(Ptr<Node> gateway) const;

    /**
     * \brief The same for a complex with dynamic addresses (AddressMode=Dynamic): static
     * 1:1 rules for the gatekeeper and for each of \p terminalAddresses, every address a
     * terminal may lease (e.g. every host address of the address manager's pool), so a
     * terminal is seen outside under the same public address whatever block it is in.
     */
    std::string UseNat(Ptr<ApartmentTopologyHelper> topology,
                       Ptr<NatTrafficControlLayer> nat,
                       uint32_t complex,
                       const std::vector<Ipv4Address>& terminalAddresses);

    /**
     * \brief Dynamic addresses: \p terminal registers as soon as \p client is bound and
     * again at once whenever the address changes (the client's AddressChanged trace).
     */
    static void ConnectDhcpClient(Ptr<SipTerminal> terminal, Ptr<TerminalDhcpClient> client);
    /**
     * \brief Withdraws a terminal: it de-registers (REGISTER, Expires: 0) and then
     * \p client, if any, releases its lease.
     */
    static void Withdraw(Ptr<SipTerminal> terminal, Ptr<TerminalDhcpClient> client = nullptr);

    /// \return the SipTerminal installed on \p node (null if none)
    Ptr<SipTerminal> GetTerminal(Ptr<Node> node) const;
    /// \return the HomeGateway installed on \p node (null if none)
    Ptr<HomeGateway> GetGateway(Ptr<Node> node) const;
    /// \return the gatekeeper of complex \p complex (null if not installed)
    Ptr<Gatekeeper> GetGatekeeper(uint32_t complex = 0) const;
    /// \return the outside operator's gatekeeper (null if none)
    Ptr<Gatekeeper> GetOutsideGatekeeper() const;
    /// \return the terminals and remote phones, in install order
    const std::vector<Ptr<SipTerminal>>& GetAllTerminals() const;

    /**
     * \brief Fixes the random streams of every terminal, then of every proxy (service
     * time: outside gatekeeper, gatekeepers, home gateways), then of the home gateways'
     * CallNatBinders (HomeNat: PCP nonces), then of the gatekeepers' CallNatBinders (UseNat
     * with pool or NAPT): call it after UseNat.
     * \return the number of streams used
     */
    int64_t AssignStreams(int64_t stream);

    /// \return every record so far, in the order the calls ended
    const std::vector<CallRecord>& GetRecords() const;
    /// \return the originating records
    std::vector<CallRecord> GetOriginatingRecords() const;
    /// \return the terminating record of call \p callId that was answered, or the first one
    const CallRecord* FindCalleeRecord(const std::string& callId) const;
    /// \return the RFC 6076 ratios over the originating records so far
    SessionRatios GetRatios() const;

    /// \brief One CSV line per call (originating side, joined with the callee's media).
    void WriteCsv(std::ostream& os) const;
    /// \brief A readable table of the calls.
    void PrintTable(std::ostream& os) const;

  private:
    void OnCallEnded(const CallRecord& record);
    /// HomeNat: a PCP server on the gateway's NAT and a CallNatBinder for the gateway.
    void InstallHomeNat(Ptr<ApartmentTopologyHelper> topology,
                        Ptr<HomeGateway> gateway,
                        uint32_t building,
                        uint32_t flat,
                        uint32_t complex);
    std::string UseStaticRules(Ptr<ApartmentTopologyHelper> topology,
                               Ptr<NatTrafficControlLayer> nat,
                               uint32_t complex,
                               const std::vector<Ipv4Address>& inside);

    ObjectFactory m_terminalFactory;
    std::vector<std::pair<std::string, Ptr<AttributeValue>>> m_proxyAttributes;
    std::vector<std::pair<std::string, Ptr<AttributeValue>>> m_gatekeeperAttributes;
    double m_callsPerHour{0};
    bool m_includeHouseholds{true};
    std::vector<Ptr<SipTerminal>> m_terminals;
    std::map<uint32_t, Ptr<SipTerminal>> m_terminalByNode;
    std::map<uint32_t, Ptr<HomeGateway>> m_gatewayByNode;
    std::vector<Ptr<Gatekeeper>> m_gatekeepers;
    Ptr<Gatekeeper> m_outsideGatekeeper;
    std::map<uint32_t, Ptr<CallNatBinder>> m_binders;               //!< by complex
    std::map<uint32_t, Ptr<PcpServerApplication>> m_pcpServers;     //!< by complex
    std::map<uint32_t, Ptr<PcpServerApplication>> m_homePcpServers; //!< by gateway node
    std::vector<CallRecord> m_records;
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_VOIP_HELPER_H */
