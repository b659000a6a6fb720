/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/sip-terminal.h"

#include "ns3/apartment-voip-compat.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/pointer.h"
#include "ns3/rtp-header.h"
#include "ns3/rtp-session.h"
#include "ns3/sdp.h"
#include "ns3/simulator.h"
#include "ns3/sip-header.h"
#include "ns3/string.h"
#include "ns3/traversal-demux.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <set>

namespace ns3
{
namespace apartment
{

NS_LOG_COMPONENT_DEFINE("ApartmentVoipSipTerminal");
NS_OBJECT_ENSURE_REGISTERED(SipTerminal);

namespace
{

const char* kUserAgent = "ns-3 apartment-voip terminal";

std::string
ToText(Ipv4Address a)
{
    std::ostringstream os;
    a.Print(os);
    return os.str();
}

/// Sampling rate of a static payload type (RFC 3551); G.711 and most audio use 8000.
uint32_t
ClockRate(uint8_t payloadType)
{
    return payloadType == 34 || payloadType == 26 ? 90000 : 8000;
}

} // namespace

struct SipTerminal::Call
{
    enum State
    {
        CALLING,
        RINGING,
        CONFIRMED,
        ENDED,
    };

    CallRecord record;
    bool originating{false};
    State state{CALLING};
    bool cancelled{false};
    std::optional<SipMessage> invite; //!< until the dialog is confirmed (its bulk is memory)
    uint32_t inviteCseq{0};           //!< CSeq of \c invite, kept after it is released
    SipStack::Peer inviteFrom;
    std::string inviteBranch;
    std::string ackBranch;
    std::string callId;
    std::string localHeader;  //!< our From/To value with our tag
    std::string remoteHeader; //!< their From/To value with their tag
    std::string remoteTag;
    std::vector<std::string> routeSet;
    std::string remoteTarget;
    uint32_t localCseq{1};
    bool authRetried{false}; //!< the INVITE was sent again with credentials
    std::set<std::string> earlyTags;
    Time holding;
    EventId hangupEvent;
    EventId answerEvent;
    // media
    uint16_t localRtpPort{0};
    Ipv4Address remoteRtpAddress;
    uint16_t remoteRtpPort{0};
    uint8_t payloadType{0};
    Ptr<Socket> rtpSocket;
    EventId rtpEvent;
    bool offeredVideo{false};    //!< the offer had an m=video line
    Ptr<Socket> videoSocket;     //!< bound to localRtpPort + 2 when video is on
    uint16_t remoteVideoPort{0}; //!< 0: no video in this call
    EventId videoEvent;
    RtpSession audio;
    RtpSession video;
    uint32_t sampleEvery{1}; //!< packets each sent RTP packet stands for (MediaMode)
};

TypeId
SipTerminal::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::apartment::SipTerminal")
            .SetParent<Application>()
            .SetGroupName("ApartmentVoip")
            .AddConstructor<SipTerminal>()
            .AddAttribute("Number",
                          "The phone number (e.g. 100-1101-1201-1); its digits are the SIP "
                          "user part.",
                          StringValue(""),
                          MakeStringAccessor(&SipTerminal::m_number),
                          MakeStringChecker())
            .AddAttribute("Proxy",
                          "Outbound proxy (home gateway or gatekeeper); 0.0.0.0: the default "
                          "router.",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&SipTerminal::m_proxy),
                          MakeIpv4AddressChecker())
            .AddAttribute("ProxyPort",
                          "SIP port of the outbound proxy (also of the default router).",
                          UintegerValue(SipHeader::PORT),
                          MakeUintegerAccessor(&SipTerminal::m_proxyPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("Port",
                          "SIP UDP port.",
                          UintegerValue(SipHeader::PORT),
                          MakeUintegerAccessor(&SipTerminal::m_port),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("RegisterExpires",
                          "Registration lifetime asked for; refreshed at half of what the "
                          "registrar grants.",
                          TimeValue(Seconds(3600)),
                          MakeTimeAccessor(&SipTerminal::m_registerExpires),
                          MakeTimeChecker(Seconds(1)))
            .AddAttribute("RetryInterval",
                          "Wait before registering again after a failure or while the "
                          "terminal has no address.",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&SipTerminal::m_retryInterval),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("RingTime",
                          "Seconds the phone rings before the user answers.",
                          StringValue("ns3::UniformRandomVariable[Min=1.0|Max=4.0]"),
                          MakePointerAccessor(&SipTerminal::m_ringTime),
                          MakePointerChecker<RandomVariableStream>())
            .AddAttribute("HoldingTime",
                          "Seconds a call placed by the traffic model lasts after the answer.",
                          StringValue("ns3::ExponentialRandomVariable[Mean=120.0]"),
                          MakePointerAccessor(&SipTerminal::m_holdingTime),
                          MakePointerChecker<RandomVariableStream>())
            .AddAttribute("CallRate",
                          "Poisson call attempts per hour by the traffic model (0: off).",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&SipTerminal::m_callRate),
                          MakeDoubleChecker<double>(0.0))
            .AddAttribute("PayloadType",
                          "RTP payload type offered and sent (0 PCMU, 8 PCMA: G.711).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&SipTerminal::m_payloadType),
                          MakeUintegerChecker<uint8_t>(0, 127))
            .AddAttribute("PacketTime",
                          "Audio per RTP packet (a=ptime); G.711 sends 8 bytes per ms.",
                          TimeValue(MilliSeconds(20)),
                          MakeTimeAccessor(&SipTerminal::m_packetTime),
                          MakeTimeChecker(MilliSeconds(10), MilliSeconds(100)))
            .AddAttribute("Video",
                          "Offer and accept a video stream (m=video, H.263 payload type 34).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&SipTerminal::m_video),
                          MakeBooleanChecker())
            .AddAttribute("VideoFrameRate",
                          "Video frames (one RTP packet each) per second.",
                          UintegerValue(25),
                          MakeUintegerAccessor(&SipTerminal::m_videoFrameRate),
                          MakeUintegerChecker<uint32_t>(1, 120))
            .AddAttribute("VideoPacketSize",
                          "Video RTP payload bytes per frame.",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&SipTerminal::m_videoPacketSize),
                          MakeUintegerChecker<uint32_t>(1, 1400))
            .AddAttribute("AutoAnswer",
                          "Answer incoming calls after RingTime; false lets them ring.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&SipTerminal::m_autoAnswer),
                          MakeBooleanChecker())
            .AddAttribute("T1",
                          "SIP timer T1 (RFC 3261 round-trip estimate).",
                          TimeValue(MilliSeconds(500)),
                          MakeTimeAccessor(&SipTerminal::m_t1),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddAttribute("FirstRtpPort",
                          "First local RTP port (even); each call takes the next even one.",
                          UintegerValue(16384),
                          MakeUintegerAccessor(&SipTerminal::m_firstRtpPort),
                          MakeUintegerChecker<uint16_t>(1024, 65000))
            .AddAttribute("TraversalMode",
                          "How a phone registering directly with an outside registrar (Proxy) "
                          "learns its public address: None, Seed003 (detection and P6 "
                          "keepalives) or Stun.",
                          EnumValue(static_cast<int>(TraversalMode::NONE)),
                          MakeEnumAttributeAccessor<int>(&SipTerminal::m_traversalMode),
                          MakeEnumChecker(static_cast<int>(TraversalMode::NONE),
                                          "None",
                                          static_cast<int>(TraversalMode::SEED003),
                                          "Seed003",
                                          static_cast<int>(TraversalMode::STUN),
                                          "Stun"))
            .AddAttribute("TraversalServer",
                          "Detection (Seed003) or STUN server; 0.0.0.0: the Proxy.",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&SipTerminal::m_traversalServer),
                          MakeIpv4AddressChecker())
            .AddAttribute("TraversalServerPort",
                          "Port of the traversal server (0: 7070 for Seed003, 3478 for Stun).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&SipTerminal::m_traversalServerPort),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("TraversalUserIndex",
                          "Seed-003 user index of the SIP port; the RTP port uses the next.",
                          UintegerValue(1),
                          MakeUintegerAccessor(&SipTerminal::m_traversalUserIndex),
                          MakeUintegerChecker<uint32_t>(0, 0xfffffffe))
            .AddAttribute("KeepaliveInterval",
                          "Interval of the traversal keepalives (P6 or STUN Binding) on the "
                          "SIP and RTP ports (0: none).",
                          TimeValue(Seconds(15)),
                          MakeTimeAccessor(&SipTerminal::m_keepaliveInterval),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("KeepaliveStop",
                          "Time after which no more traversal keepalives are sent (0: never).",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&SipTerminal::m_keepaliveStop),
                          MakeTimeChecker(Time(0)))
            .AddTraceSource("TraversalReady",
                            "Both public endpoints are known (detection time, public address, "
                            "SIP port, RTP port).",
                            MakeTraceSourceAccessor(&SipTerminal::m_traversalReadyTrace),
                            "ns3::apartment::SipTerminal::TraversalReadyTracedCallback")
            .AddAttribute(
                "MediaMode",
                "Packets: every RTP packet is simulated. FlowLevel: the media of a call is "
                "sampled by one RTP packet in FlowSampleEvery (same path, same headers), and "
                "its loss, delay and jitter stand for the whole stream (counts scaled, MOS "
                "from the E-model as in Packets): call-level runs at busy-hour scale. Set "
                "the same mode on both ends of a call.",
                EnumValue(SipTerminal::PACKETS),
                MakeEnumAttributeAccessor<MediaMode>(&SipTerminal::m_mediaMode),
                MakeEnumChecker(SipTerminal::PACKETS,
                                "Packets",
                                SipTerminal::FLOW_LEVEL,
                                "FlowLevel"))
            .AddAttribute("FlowSampleEvery",
                          "FlowLevel mode: one RTP packet (audio and video) is sent for every "
                          "this many of the stream, this many PacketTimes (frames) apart.",
                          UintegerValue(50),
                          MakeUintegerAccessor(&SipTerminal::m_flowSampleEvery),
                          MakeUintegerChecker<uint32_t>(1, 100000))
            .AddAttribute("Password",
                          "Digest password (RFC 3261 §22) of this terminal's number, used when "
                          "the registrar or proxy challenges (VoipHelper sets it); empty: "
                          "a challenge fails the request.",
                          StringValue(""),
                          MakeStringAccessor(&SipTerminal::m_password),
                          MakeStringChecker())
            .AddAttribute("DeregisterWait",
                          "Longest wait for the registrar's answer to the de-registration "
                          "sent by Withdraw() before the address is given up anyway.",
                          TimeValue(Seconds(2)),
                          MakeTimeAccessor(&SipTerminal::m_deregisterWait),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddTraceSource("Tx",
                            "A SIP message was sent (its text).",
                            MakeTraceSourceAccessor(&SipTerminal::m_txTrace),
                            "ns3::apartment::SipTerminal::MessageTracedCallback")
            .AddTraceSource("Rx",
                            "A valid SIP message was received (its text).",
                            MakeTraceSourceAccessor(&SipTerminal::m_rxTrace),
                            "ns3::apartment::SipTerminal::MessageTracedCallback")
            .AddTraceSource("Drop",
                            "A malformed SIP datagram was dropped (text, reason).",
                            MakeTraceSourceAccessor(&SipTerminal::m_dropTrace),
                            "ns3::apartment::SipTerminal::DropTracedCallback")
            .AddTraceSource("RegistrationDelay",
                            "RFC 6076 Registration Request Delay of a successful REGISTER.",
                            MakeTraceSourceAccessor(&SipTerminal::m_rrdTrace),
                            "ns3::Time::TracedCallback")
            .AddTraceSource("SessionRequestDelay",
                            "RFC 6076 SRD of an outgoing call (once per early dialog).",
                            MakeTraceSourceAccessor(&SipTerminal::m_srdTrace),
                            "ns3::Time::TracedCallback")
            .AddTraceSource("CallerId",
                            "An incoming call rings; the caller's number.",
                            MakeTraceSourceAccessor(&SipTerminal::m_callerIdTrace),
                            "ns3::apartment::SipTerminal::CallerIdTracedCallback")
            .AddTraceSource("CallEnded",
                            "A call ended on this side; its record.",
                            MakeTraceSourceAccessor(&SipTerminal::m_callEndedTrace),
                            "ns3::apartment::SipTerminal::CallRecordTracedCallback")
            .AddTraceSource("Registered",
                            "The registrar accepted a REGISTER: Contact address, granted "
                            "lifetime (zero for a de-registration).",
                            MakeTraceSourceAccessor(&SipTerminal::m_registeredTrace),
                            "ns3::apartment::SipTerminal::RegisteredTracedCallback")
            .AddTraceSource("WrongNumber",
                            "An INVITE whose Request-URI names another number was refused "
                            "with 404 (the address used to belong to another phone).",
                            MakeTraceSourceAccessor(&SipTerminal::m_wrongNumberTrace),
                            "ns3::apartment::SipTerminal::WrongNumberTracedCallback")
            .AddTraceSource("AuthFailure",
                            "A request stayed challenged (401/407) after one answer with "
                            "credentials, or was challenged with no Password: method, code.",
                            MakeTraceSourceAccessor(&SipTerminal::m_authFailureTrace),
                            "ns3::apartment::SipTerminal::AuthFailureTracedCallback");
    return tid;
}

SipTerminal::SipTerminal()
    : m_interArrival(CreateObject<ExponentialRandomVariable>()),
      m_pick(CreateObject<UniformRandomVariable>()),
      m_traversalMode(static_cast<int>(TraversalMode::NONE))
{
}

SipTerminal::~SipTerminal() = default;

void
SipTerminal::DoDispose()
{
    m_stack.reset();
    m_call.reset();
    m_ringTime = nullptr;
    m_holdingTime = nullptr;
    m_seedSip = nullptr;
    m_seedRtp = nullptr;
    m_stunSip = nullptr;
    m_stunRtp = nullptr;
    m_mediaSocket = nullptr;
    m_destinations = nullptr;
    m_ownDestinations = nullptr;
    Application::DoDispose();
}

int64_t
SipTerminal::AssignStreams(int64_t stream)
{
    m_ringTime->SetStream(stream);
    m_holdingTime->SetStream(stream + 1);
    m_interArrival->SetStream(stream + 2);
    m_pick->SetStream(stream + 3);
    if (IsDirect() && m_traversalMode == static_cast<int>(TraversalMode::STUN))
    {
        m_traversalStream = stream + 4; // the STUN clients' transaction IDs
        return 6;
    }
    return 4;
}

void
SipTerminal::AddDestination(const std::string& number)
{
    if (!m_ownDestinations)
    {
        m_ownDestinations =
            m_destinations ? Create<DestinationTable>(*m_destinations) : Create<DestinationTable>();
        m_destinations = m_ownDestinations;
    }
    m_ownDestinations->Add(number);
}

void
SipTerminal::SetDestinationTable(Ptr<const DestinationTable> table)
{
    m_destinations = table;
    m_ownDestinations = nullptr;
}

Ptr<const DestinationTable>
SipTerminal::GetDestinationTable() const
{
    return m_destinations;
}

bool
SipTerminal::IsRegistered() const
{
    return m_registered;
}

bool
SipTerminal::IsBusy() const
{
    return m_call != nullptr;
}

std::string
SipTerminal::GetUser() const
{
    return SipDigits(m_number);
}

uint64_t
SipTerminal::GetMalformedCount() const
{
    return m_stack ? m_stack->GetMalformedCount() : 0;
}

uint64_t
SipTerminal::GetAuthFailureCount() const
{
    return m_authFailures;
}

void
SipTerminal::CountAuthFailure(const std::string& method, uint16_t code)
{
    ++m_authFailures;
    NS_LOG_INFO(m_number << ": " << method << " still challenged (" << code << ")");
    m_authFailureTrace(method, code);
}

std::optional<DigestChallenge>
SipTerminal::ReadChallenge(const SipMessage& response) const
{
    uint16_t code = response.GetStatusCode();
    if ((code != 401 && code != 407) || m_password.empty() || !CryptoAvailable())
    {
        return std::nullopt;
    }
    // Of several challenges, the first this terminal can answer (a known algorithm).
    for (const auto& value :
         response.GetHeaders(code == 401 ? "WWW-Authenticate" : "Proxy-Authenticate"))
    {
        std::string error;
        auto challenge = DigestChallenge::Parse(value, &error);
        if (challenge)
        {
            return challenge;
        }
        NS_LOG_WARN(m_number << ": challenge not understood: " << error);
    }
    return std::nullopt;
}

uint64_t
SipTerminal::GetRetransmissionCount() const
{
    return m_stack ? m_stack->GetRetransmissionCount() : 0;
}

void
SipTerminal::StartApplication()
{
    m_user = SipDigits(m_number);
    NS_ABORT_MSG_IF(m_user.empty(), "SipTerminal: Number '" << m_number << "' is not a number");
    m_nextRtpPort = m_firstRtpPort & ~1;
    SipTimers timers;
    timers.t1 = m_t1;
    m_stack = std::make_unique<SipStack>(GetNode(), timers);
    m_stack->SetTraces([this](const std::string& t) { m_txTrace(t); },
                       [this](const std::string& t) { m_rxTrace(t); },
                       [this](const std::string& t, const std::string& e) { m_dropTrace(t, e); });
    m_stack->Open(
        m_port,
        [this](const SipMessage& m, const SipStack::Peer& from) { OnRequest(m, from); },
        nullptr);
    m_registerCallId = "reg" + std::to_string(GetNode()->GetId()) + "@" + m_user;
    m_registerTag = "r" + std::to_string(GetNode()->GetId());
    StartTraversal(); // direct mode: registers once both public endpoints are known
    Register();
    ScheduleNextAttempt();
}

void
SipTerminal::StopApplication()
{
    m_registerEvent.Cancel();
    m_withdrawEvent.Cancel();
    m_trafficEvent.Cancel();
    if (m_call)
    {
        StopMedia(*m_call);
        m_call->hangupEvent.Cancel();
        m_call->answerEvent.Cancel();
        m_call.reset();
    }
    StopTraversal();
    if (m_stack)
    {
        m_stack->Close();
    }
}

Ipv4Address
SipTerminal::GetOwnAddress() const
{
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    for (uint32_t i = 1; ipv4 && i < ipv4->GetNInterfaces(); ++i)
    {
        if (ipv4->GetNAddresses(i) > 0 && ipv4->IsUp(i))
        {
            return ipv4->GetAddress(i, 0).GetLocal();
        }
    }
    return Ipv4Address::GetAny();
}

std::optional<SipStack::Peer>
SipTerminal::GetProxy() const
{
    if (m_proxy != Ipv4Address::GetAny())
    {
        return SipStack::Peer{m_proxy, m_proxyPort};
    }
    // No proxy configured: the default router (e.g. learnt by DHCP) is the home gateway.
    Ptr<Ipv4> ipv4 = GetNode()->GetObject<Ipv4>();
    if (!ipv4 || !ipv4->GetRoutingProtocol())
    {
        return std::nullopt;
    }
    Ipv4Header h;
    h.SetDestination(Ipv4Address("240.0.0.1")); // reserved: only a default route matches
    Socket::SocketErrno err;
    Ptr<Ipv4Route> route = ipv4->GetRoutingProtocol()->RouteOutput(nullptr, h, nullptr, err);
    if (!route || route->GetGateway() == Ipv4Address::GetAny())
    {
        return std::nullopt;
    }
    return SipStack::Peer{route->GetGateway(), m_proxyPort};
}

void
SipTerminal::Register()
{
    if (IsDirect() && !m_traversalReady)
    {
        return; // CheckTraversal() registers once the public endpoints are known
    }
    Ipv4Address own = GetContactAddress();
    auto proxy = GetProxy();
    if (m_withdrawn)
    {
        return;
    }
    if (own == Ipv4Address::GetAny() || !proxy)
    {
        NS_LOG_INFO(m_number << ": no address or proxy yet, registering later");
        m_registerEvent = Simulator::Schedule(m_retryInterval, &SipTerminal::Register, this);
        return;
    }
    Time sent = Simulator::Now();
    uint32_t generation = m_registerGeneration;
    SendRegister(own, *proxy, m_registerExpires, [this, sent, generation](const SipMessage* r) {
        OnRegisterResponse(sent, generation, r);
    });
}

void
SipTerminal::SendRegister(Ipv4Address own,
                          const SipStack::Peer& proxy,
                          Time expires,
                          std::function<void(const SipMessage*)> done,
                          bool retried)
{
    std::string proxyText = ToText(proxy.address);
    auto reg = SipMessage::MakeRequest("REGISTER", "sip:" + proxyText);
    m_registerBranch = m_stack->NewBranch();
    reg.AddHeader("Via",
                  "SIP/2.0/UDP " + ToText(own) + ":" + std::to_string(GetContactPort()) +
                      ";branch=" + m_registerBranch);
    reg.SetHeader("Max-Forwards", "70");
    reg.SetHeader("From", "<sip:" + m_user + "@" + proxyText + ">;tag=" + m_registerTag);
    reg.SetHeader("To", "<sip:" + m_user + "@" + proxyText + ">");
    reg.SetHeader("Call-ID", m_registerCallId);
    reg.SetHeader("CSeq", std::to_string(++m_registerCseq) + " REGISTER");
    auto seconds = std::to_string(static_cast<uint64_t>(expires.GetSeconds()));
    reg.SetHeader("Contact",
                  "<sip:" + m_user + "@" + ToText(own) + ":" + std::to_string(GetContactPort()) +
                      ">;expires=" + seconds);
    reg.SetHeader("Expires", seconds);
    reg.SetHeader("User-Agent", kUserAgent);
    if (m_registerChallenge)
    {
        // Credentials for the last challenge go with every REGISTER (refreshes too) until
        // the registrar asks again, e.g. because the nonce lapsed (stale=TRUE).
        reg.SetHeader(m_registerAuthHeader,
                      DigestCredentials::Answer(*m_registerChallenge,
                                                m_user,
                                                m_password,
                                                "REGISTER",
                                                reg.GetRequestUri(),
                                                m_stack->NewToken(),
                                                ++m_registerNc)
                          .ToString());
    }
    m_stack->SendNonInvite(reg,
                           proxy,
                           [this, own, proxy, expires, done, retried](const SipMessage* r) {
                               uint16_t code = r ? r->GetStatusCode() : 0;
                               if (code != 401 && code != 407)
                               {
                                   done(r);
                                   return;
                               }
                               auto challenge = ReadChallenge(*r);
                               m_registerChallenge = challenge;
                               m_registerNc = 0;
                               if (challenge && !retried)
                               {
                                   // Once: a new REGISTER (new CSeq, same Call-ID) with
                                   // credentials.
                                   m_registerAuthHeader =
                                       code == 401 ? "Authorization" : "Proxy-Authorization";
                                   SendRegister(own, proxy, expires, done, true);
                                   return;
                               }
                               m_registerChallenge.reset();
                               CountAuthFailure("REGISTER", code);
                               done(r);
                           });
}

void
SipTerminal::OnRegisterResponse(Time sent, uint32_t generation, const SipMessage* response)
{
    if (generation != m_registerGeneration || m_withdrawn)
    {
        // Sent from an address the terminal no longer has: the new REGISTER decides.
        NS_LOG_INFO(m_number << ": answer to a REGISTER from an old address ignored");
        return;
    }
    if (!response || response->GetStatusCode() >= 300)
    {
        NS_LOG_INFO(m_number << ": registration failed ("
                             << (response ? response->GetStatusCode() : 408) << ")");
        m_registered = false;
        m_registerEvent = Simulator::Schedule(m_retryInterval, &SipTerminal::Register, this);
        return;
    }
    m_registered = true;
    m_registeredAddress = GetOwnAddress();
    m_rrdTrace(Simulator::Now() - sent);
    Time granted = m_registerExpires;
    auto contact = SipNameAddr::Parse(response->GetHeader("Contact"));
    std::string value = contact ? contact->GetParam("expires") : "";
    if (value.empty())
    {
        value = response->GetHeader("Expires");
    }
    if (!value.empty() && value.size() < 10 &&
        std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
    {
        granted = Seconds(std::stoul(value));
    }
    m_registeredTrace(m_registeredAddress, granted);
    m_registerEvent =
        Simulator::Schedule(std::max(granted / 2, Seconds(1)), &SipTerminal::Register, this);
}

void
SipTerminal::NotifyAddressChanged()
{
    if (m_withdrawn || !m_stack)
    {
        return; // withdrawn, or not started yet (the start registers)
    }
    ++m_registerGeneration;
    m_registerEvent.Cancel();
    // A REGISTER still retransmitted from the old address would rebind the old Contact.
    m_stack->AbandonClientTransaction(m_registerBranch, "REGISTER");
    m_registered = false;
    m_registeredAddress = Ipv4Address::GetAny();
    if (GetOwnAddress() == Ipv4Address::GetAny())
    {
        NS_LOG_INFO(m_number << ": address lost, unregistered until the next one");
        return;
    }
    NS_LOG_INFO(m_number << ": address now " << GetOwnAddress() << ", registering at once");
    Register();
}

void
SipTerminal::Withdraw(Callback<void> done)
{
    if (m_withdrawn)
    {
        return;
    }
    m_withdrawn = true;
    m_withdrawDone = done;
    m_registerEvent.Cancel();
    m_trafficEvent.Cancel();
    if (!m_stack)
    {
        m_withdrawEvent = Simulator::ScheduleNow(&SipTerminal::FinishWithdrawal, this);
        return;
    }
    if (m_call)
    {
        Hangup(); // BYE, CANCEL, or 603 for a call still ringing here
    }
    Ipv4Address own = GetOwnAddress();
    auto proxy = GetProxy();
    if (!m_registered || own == Ipv4Address::GetAny() || !proxy)
    {
        m_withdrawEvent = Simulator::ScheduleNow(&SipTerminal::FinishWithdrawal, this);
        return;
    }
    NS_LOG_INFO(m_number << ": withdrawn, de-registering " << own);
    m_withdrawEvent = Simulator::Schedule(m_deregisterWait, &SipTerminal::FinishWithdrawal, this);
    SendRegister(own, *proxy, Seconds(0), [this, own](const SipMessage* r) {
        if (r && r->GetStatusCode() < 300)
        {
            m_registeredTrace(own, Seconds(0));
        }
        if (IsPending(m_withdrawEvent))
        {
            m_withdrawEvent.Cancel();
            FinishWithdrawal();
        }
    });
}

void
SipTerminal::FinishWithdrawal()
{
    m_registered = false;
    m_registeredAddress = Ipv4Address::GetAny();
    Callback<void> done = m_withdrawDone;
    m_withdrawDone = MakeNullCallback<void>();
    if (!done.IsNull())
    {
        done();
    }
}

bool
SipTerminal::IsWithdrawn() const
{
    return m_withdrawn;
}

uint64_t
SipTerminal::GetWrongNumberCount() const
{
    return m_wrongNumber;
}

void
SipTerminal::ScheduleNextAttempt()
{
    if (m_callRate <= 0 || !m_destinations || m_destinations->GetN() == 0)
    {
        return;
    }
    m_interArrival->SetAttribute("Mean", DoubleValue(3600.0 / m_callRate));
    m_trafficEvent = Simulator::Schedule(Seconds(m_interArrival->GetValue()),
                                         &SipTerminal::TrafficAttempt,
                                         this);
}

void
SipTerminal::TrafficAttempt()
{
    auto index = m_destinations->Choose(*m_pick, m_user); // nothing: the draw fell on us
    Time holding = Seconds(std::max(0.1, m_holdingTime->GetValue()));
    if (m_registered && !m_withdrawn && !m_call && index)
    {
        Dial(m_destinations->Get(*index), holding);
    }
    ScheduleNextAttempt();
}

bool
SipTerminal::Dial(const std::string& number, Time holding)
{
    std::string digits = SipDigits(number);
    Ipv4Address own = GetContactAddress();
    auto proxy = GetProxy();
    if (m_call || digits.empty() || own == Ipv4Address::GetAny() || !proxy || !m_stack ||
        (IsDirect() && !m_traversalReady))
    {
        NS_LOG_WARN(m_number << ": cannot dial " << number << " now");
        return false;
    }
    auto call = std::make_shared<Call>();
    m_call = call;
    call->originating = true;
    call->holding = holding;
    call->callId = m_stack->NewToken() + "@" + ToText(own);
    call->inviteBranch = m_stack->NewBranch();
    call->localHeader =
        "\"" + m_number + "\" <sip:" + m_user + "@" + ToText(own) + ">;tag=" + m_stack->NewToken();
    std::string proxyText = ToText(proxy->address);
    call->remoteHeader = "<sip:" + digits + "@" + proxyText + ">";
    call->localRtpPort = m_nextRtpPort;
    call->payloadType = m_payloadType;
    call->sampleEvery = m_mediaMode == FLOW_LEVEL ? m_flowSampleEvery : 1;
    m_nextRtpPort = m_nextRtpPort >= 32760 ? (m_firstRtpPort & ~1) : m_nextRtpPort + 4;
    call->record.callId = call->callId;
    call->record.originating = true;
    call->record.localNumber = m_number;
    call->record.remoteNumber = number;
    call->record.localNode = GetNode()->GetId();
    call->record.inviteTime = Simulator::Now();

    auto invite = SipMessage::MakeRequest("INVITE", "sip:" + digits + "@" + proxyText);
    invite.AddHeader("Via",
                     "SIP/2.0/UDP " + ToText(own) + ":" + std::to_string(GetContactPort()) +
                         ";branch=" + call->inviteBranch);
    invite.SetHeader("Max-Forwards", "70");
    invite.SetHeader("From", call->localHeader);
    invite.SetHeader("To", call->remoteHeader);
    invite.SetHeader("Call-ID", call->callId);
    invite.SetHeader("CSeq", "1 INVITE");
    invite.SetHeader("Contact",
                     "<sip:" + m_user + "@" + ToText(own) + ":" + std::to_string(GetContactPort()) +
                         ">");
    invite.SetHeader("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS");
    invite.SetHeader("User-Agent", kUserAgent);
    // Bind the RTP port now so early media from the callee is not refused.
    OpenRtpSocket(*call);
    call->offeredVideo = m_video;
    OpenVideoSocket(*call);
    invite.SetBody(MakeSdp(*call), "application/sdp");
    call->invite = invite;
    call->inviteCseq = invite.GetCSeqNumber();
    NS_LOG_INFO(m_number << " dials " << number);
    SendInvite(call, *proxy);
    return true;
}

void
SipTerminal::SendInvite(std::shared_ptr<Call> call, const SipStack::Peer& proxy)
{
    std::string callId = call->callId;
    m_stack->SendInvite(*call->invite, proxy, [this, callId, proxy](const SipMessage* r) {
        if (m_call && m_call->callId == callId)
        {
            auto challenge = r ? ReadChallenge(*r) : std::nullopt;
            auto call = m_call;
            if (challenge && call->invite && !call->authRetried && !call->cancelled)
            {
                // Once: the same INVITE (Call-ID, From tag) with a new CSeq and branch and
                // credentials (RFC 3261 §22.2); the stack already ACKed the challenge.
                call->authRetried = true;
                SipMessage invite = *call->invite;
                call->inviteBranch = m_stack->NewBranch();
                auto via = invite.GetTopVia();
                for (auto& [name, value] : via->params)
                {
                    value = name == "branch" ? call->inviteBranch : value;
                }
                invite.SetHeader("Via", via->ToString());
                invite.SetHeader("CSeq", std::to_string(++call->localCseq) + " INVITE");
                bool proxyAuth = r->GetStatusCode() == 407;
                invite.SetHeader(proxyAuth ? "Proxy-Authorization" : "Authorization",
                                 DigestCredentials::Answer(*challenge,
                                                           m_user,
                                                           m_password,
                                                           "INVITE",
                                                           invite.GetRequestUri(),
                                                           m_stack->NewToken(),
                                                           1)
                                     .ToString());
                call->invite = invite;
                call->inviteCseq = invite.GetCSeqNumber();
                SendInvite(call, proxy);
                return;
            }
            if (r && (r->GetStatusCode() == 401 || r->GetStatusCode() == 407))
            {
                CountAuthFailure("INVITE", r->GetStatusCode());
            }
            OnInviteResponse(r);
        }
        else if (r && r->GetStatusCode() >= 200 && r->GetStatusCode() < 300)
        {
            NS_LOG_INFO(m_number << ": 2xx for a call already ended is ignored");
        }
    });
}

std::string
SipTerminal::MakeSdp(const Call& call) const
{
    SessionDescription sd;
    sd.originUser = m_user;
    sd.sessionId = call.localRtpPort + 1000ULL * GetNode()->GetId();
    sd.sessionVersion = 1;
    sd.originAddress = ToText(GetMediaAddress());
    sd.connectionAddress = sd.originAddress;
    sd.sessionName = "call";
    SdpMedia audio;
    audio.port = GetAdvertisedRtpPort(call.localRtpPort);
    audio.formats = {call.payloadType};
    if (GetStaticRtpMap(call.payloadType).empty())
    {
        audio.rtpmaps[call.payloadType] = "L16/8000";
    }
    audio.ptimeMs = static_cast<uint32_t>(m_packetTime.GetMilliSeconds());
    sd.media.push_back(audio);
    if (call.offeredVideo)
    {
        // An answer keeps every offered m= line; port 0 declines the stream (RFC 3264 §6).
        SdpMedia video;
        video.type = "video";
        video.port = call.videoSocket ? call.localRtpPort + 2 : 0;
        video.formats = {34};
        sd.media.push_back(video);
    }
    return sd.Serialize();
}

bool
SipTerminal::ApplyRemoteSdp(Call& call, const std::string& body)
{
    std::string error;
    auto sd = SessionDescription::Parse(body, &error);
    const SdpMedia* audio = sd ? sd->FindMedia("audio") : nullptr;
    auto remote = sd ? ToPeer(sd->connectionAddress, 1) : std::nullopt;
    if (!audio || !remote || audio->port == 0)
    {
        NS_LOG_WARN(m_number << ": unusable SDP: " << error);
        return false;
    }
    auto pt = ChoosePayloadType(*audio, {call.payloadType, 0, 8});
    if (!pt)
    {
        return false;
    }
    call.payloadType = *pt;
    call.remoteRtpAddress = remote->address;
    call.remoteRtpPort = audio->port;
    const SdpMedia* video = sd->FindMedia("video");
    call.remoteVideoPort = 0;
    if (video && video->port != 0 &&
        std::find(video->formats.begin(), video->formats.end(), 34) != video->formats.end())
    {
        call.remoteVideoPort = video->port;
    }
    return true;
}

SipStack::Peer
SipTerminal::ViaPeer(const SipMessage& m, const SipStack::Peer& from) const
{
    auto via = m.GetTopVia();
    auto peer = via ? ToPeer(via->host, via->port) : std::nullopt;
    return peer ? *peer : from;
}

void
SipTerminal::OnRequest(const SipMessage& m, const SipStack::Peer& from)
{
    const auto& method = m.GetMethod();
    if (method == "INVITE")
    {
        OnIncomingInvite(m, from);
    }
    else if (method == "ACK")
    {
        if (m_call && m_call->callId == m.GetCallId())
        {
            m_stack->AckReceived(m_call->inviteBranch);
            if (m_call->state == Call::CONFIRMED)
            {
                m_call->invite.reset(); // our 2xx is ACKed: no response will need it
            }
        }
    }
    else if (method == "BYE")
    {
        OnBye(m, from);
    }
    else if (method == "CANCEL")
    {
        OnCancel(m, from);
    }
    else
    {
        // OPTIONS: 200; a method RFC 3261 or its extensions define that a phone does not
        // serve: 405 with Allow; any other: 501 (§8.2.1, §21.5.2).
        static const std::set<std::string> known{"REGISTER",
                                                 "PRACK",
                                                 "SUBSCRIBE",
                                                 "NOTIFY",
                                                 "PUBLISH",
                                                 "INFO",
                                                 "REFER",
                                                 "MESSAGE",
                                                 "UPDATE"};
        uint16_t code = method == "OPTIONS" ? 200 : known.count(method) ? 405 : 501;
        auto r = SipMessage::MakeResponse(
            m,
            code,
            code == 405 ? "Method Not Allowed: a terminal does not serve " + method : "",
            m_stack->NewToken());
        if (code != 501)
        {
            r.SetHeader("Allow", "INVITE, ACK, BYE, CANCEL, OPTIONS");
        }
        m_stack->Respond(m, r, ViaPeer(m, from));
    }
}

void
SipTerminal::OnIncomingInvite(const SipMessage& m, const SipStack::Peer& from)
{
    SipStack::Peer peer = ViaPeer(m, from);
    auto target = SipUri::Parse(m.GetRequestUri());
    std::string wanted = target ? SipDigits(target->user) : "";
    if (m.GetToTag().empty() && wanted != m_user)
    {
        // RFC 3261 §8.2.2.1: a UAS rejects a Request-URI it does not accept with 404. The
        // address belonged to another phone (a stale binding): answering lets the proxy
        // fail this branch at once instead of waiting 32 s, and this phone never rings.
        ++m_wrongNumber;
        m_wrongNumberTrace(wanted);
        NS_LOG_INFO(m_number << ": INVITE for " << wanted << " refused (404)");
        m_stack->Respond(m,
                         SipMessage::MakeResponse(m,
                                                  404,
                                                  "Not Found (no such number at this address)",
                                                  m_stack->NewToken()),
                         peer);
        return;
    }
    if (m_withdrawn)
    {
        m_stack->Respond(m,
                         SipMessage::MakeResponse(m,
                                                  480,
                                                  "Temporarily Unavailable (phone withdrawn)",
                                                  m_stack->NewToken()),
                         peer);
        return;
    }
    if (!m.GetToTag().empty())
    {
        // Re-INVITEs (hold, codec change) are not supported.
        m_stack->Respond(m, SipMessage::MakeResponse(m, 488, "", m_stack->NewToken()), peer);
        return;
    }
    if (m_call)
    {
        NS_LOG_INFO(m_number << ": busy, rejecting " << m.GetCallId());
        m_stack->Respond(m, SipMessage::MakeResponse(m, 486, "", m_stack->NewToken()), peer);
        return;
    }
    auto call = std::make_shared<Call>();
    call->localRtpPort = m_nextRtpPort;
    call->payloadType = m_payloadType;
    call->sampleEvery = m_mediaMode == FLOW_LEVEL ? m_flowSampleEvery : 1;
    if (!ApplyRemoteSdp(*call, m.GetBody()))
    {
        m_stack->Respond(m, SipMessage::MakeResponse(m, 488, "", m_stack->NewToken()), peer);
        return;
    }
    m_nextRtpPort = m_nextRtpPort >= 32760 ? (m_firstRtpPort & ~1) : m_nextRtpPort + 4;
    m_call = call;
    call->originating = false;
    call->state = Call::RINGING;
    call->offeredVideo = m.GetBody().find("m=video") != std::string::npos;
    if (call->offeredVideo && m_video)
    {
        OpenVideoSocket(*call);
    }
    call->invite = m;
    call->inviteCseq = m.GetCSeqNumber();
    call->inviteFrom = peer;
    call->inviteBranch = m.GetTopBranch();
    call->callId = m.GetCallId();
    auto to = m.GetTo();
    to->SetParam("tag", m_stack->NewToken());
    call->localHeader = to->ToString();
    call->remoteHeader = m.GetHeader("From");
    call->remoteTag = m.GetFromTag();
    auto contact = SipNameAddr::Parse(m.GetHeader("Contact"));
    call->remoteTarget = contact ? contact->uri.ToString() : m.GetFrom()->uri.ToString();
    call->routeSet = m.GetHeaders("Record-Route");
    // Caller ID: the identity the gatekeeper asserted, else the From user.
    auto pai = SipNameAddr::Parse(m.GetHeader("P-Asserted-Identity"));
    std::string caller = pai ? pai->uri.user : m.GetFrom()->uri.user;
    call->record.callId = call->callId;
    call->record.localNumber = m_number;
    call->record.remoteNumber = caller;
    call->record.localNode = GetNode()->GetId();
    call->record.inviteTime = Simulator::Now();
    OpenRtpSocket(*call);
    m_callerIdTrace(caller);
    NS_LOG_INFO(m_number << " rings: call from " << caller);

    auto ringing = SipMessage::MakeResponse(m, 180, "");
    ringing.SetHeader("To", call->localHeader);
    for (const auto& rr : call->routeSet)
    {
        ringing.AddHeader("Record-Route", rr);
    }
    ringing.SetHeader("Contact",
                      "<sip:" + m_user + "@" + ToText(GetContactAddress()) + ":" +
                          std::to_string(GetContactPort()) + ">");
    m_stack->Respond(m, ringing, peer);
    if (m_autoAnswer)
    {
        call->answerEvent = Simulator::Schedule(Seconds(std::max(0.0, m_ringTime->GetValue())),
                                                &SipTerminal::Answer,
                                                this);
    }
}

void
SipTerminal::Answer()
{
    auto call = m_call;
    if (!call || call->originating || call->state != Call::RINGING)
    {
        return;
    }
    const SipMessage& invite = *call->invite;
    auto ok = SipMessage::MakeResponse(invite, 200, "");
    ok.SetHeader("To", call->localHeader);
    for (const auto& rr : call->routeSet)
    {
        ok.AddHeader("Record-Route", rr);
    }
    ok.SetHeader("Contact",
                 "<sip:" + m_user + "@" + ToText(GetContactAddress()) + ":" +
                     std::to_string(GetContactPort()) + ">");
    ok.SetBody(MakeSdp(*call), "application/sdp");
    call->state = Call::CONFIRMED;
    call->record.answerTime = Simulator::Now();
    call->record.finalCode = 200;
    std::string callId = call->callId;
    m_stack->Respond(invite, ok, call->inviteFrom, [this, callId]() {
        // No ACK within 64 T1: end the call (RFC 3261 §13.3.1.4).
        if (m_call && m_call->callId == callId)
        {
            Hangup();
        }
    });
    StartMedia(*call);
}

SipMessage
SipTerminal::MakeInDialog(const Call& call,
                          const std::string& method,
                          uint32_t cseq,
                          const std::string& remoteHeader) const
{
    auto m = SipMessage::MakeRequest(method, call.remoteTarget);
    std::string branch = method == "ACK" ? call.ackBranch : m_stack->NewBranch();
    m.AddHeader("Via",
                "SIP/2.0/UDP " + ToText(GetContactAddress()) + ":" +
                    std::to_string(GetContactPort()) + ";branch=" + branch);
    m.SetHeader("Max-Forwards", "70");
    m.SetHeader("From", call.localHeader);
    m.SetHeader("To", remoteHeader);
    m.SetHeader("Call-ID", call.callId);
    m.SetHeader("CSeq", std::to_string(cseq) + " " + method);
    for (const auto& r : call.routeSet)
    {
        m.AddHeader("Route", r);
    }
    m.SetHeader("User-Agent", kUserAgent);
    return m;
}

SipStack::Peer
SipTerminal::GetInDialogPeer(const Call& call) const
{
    std::string target = call.routeSet.empty() ? call.remoteTarget : call.routeSet.front();
    auto na = SipNameAddr::Parse(target);
    auto peer = na ? ToPeer(na->uri.host, na->uri.port) : std::nullopt;
    return peer ? *peer : SipStack::Peer{Ipv4Address::GetAny(), 5060};
}

void
SipTerminal::OnInviteResponse(const SipMessage* response)
{
    auto call = m_call;
    if (!response)
    {
        Finish(call, 408);
        return;
    }
    uint16_t code = response->GetStatusCode();
    std::string tag = response->GetToTag();
    if (code == 100)
    {
        return;
    }
    if (code < 200)
    {
        if (call->state == Call::CALLING)
        {
            call->state = Call::RINGING;
        }
        if (call->earlyTags.insert(tag).second)
        {
            // RFC 6076 §5.4: one SRD per early dialog of a forked INVITE.
            Time srd = Simulator::Now() - call->record.inviteTime;
            call->record.srd.push_back(srd);
            m_srdTrace(srd);
        }
        return;
    }
    if (code >= 300)
    {
        Finish(call, code);
        return;
    }
    if (call->state == Call::CONFIRMED)
    {
        // A retransmitted 2xx (our ACK was lost) or a second branch's 2xx.
        Call other = *call;
        auto rr = response->GetHeaders("Record-Route");
        other.routeSet.assign(rr.rbegin(), rr.rend());
        auto contact = SipNameAddr::Parse(response->GetHeader("Contact"));
        if (contact)
        {
            other.remoteTarget = contact->uri.ToString();
        }
        uint32_t cseq = call->inviteCseq;
        m_stack->Send(MakeInDialog(other, "ACK", cseq, response->GetHeader("To")),
                      GetInDialogPeer(other));
        if (tag != call->remoteTag)
        {
            auto bye = MakeInDialog(other, "BYE", cseq + 1, response->GetHeader("To"));
            m_stack->SendNonInvite(bye, GetInDialogPeer(other), [](const SipMessage*) {});
        }
        return;
    }
    if (call->earlyTags.empty() || call->record.srd.empty())
    {
        Time srd = Simulator::Now() - call->record.inviteTime;
        call->record.srd.push_back(srd);
        m_srdTrace(srd);
    }
    call->state = Call::CONFIRMED;
    call->record.answerTime = Simulator::Now();
    call->record.finalCode = code;
    call->remoteTag = tag;
    call->remoteHeader = response->GetHeader("To");
    auto rr = response->GetHeaders("Record-Route");
    call->routeSet.assign(rr.rbegin(), rr.rend());
    auto contact = SipNameAddr::Parse(response->GetHeader("Contact"));
    call->remoteTarget = contact ? contact->uri.ToString() : call->invite->GetRequestUri();
    call->ackBranch = m_stack->NewBranch();
    m_stack->Send(MakeInDialog(*call, "ACK", call->inviteCseq, call->remoteHeader),
                  GetInDialogPeer(*call));
    call->invite.reset(); // confirmed and ACKed: no CANCEL or response will need it
    if (call->cancelled || !ApplyRemoteSdp(*call, response->GetBody()))
    {
        Hangup(); // the 200 crossed our CANCEL, or its SDP is unusable: end it at once
        return;
    }
    StartMedia(*call);
    call->hangupEvent = Simulator::Schedule(call->holding, &SipTerminal::Hangup, this);
}

void
SipTerminal::Hangup()
{
    auto call = m_call;
    if (!call)
    {
        return;
    }
    if (call->state == Call::CONFIRMED)
    {
        StopMedia(*call);
        call->record.byeTime = Simulator::Now();
        call->record.localHangup = true;
        auto bye = MakeInDialog(*call, "BYE", ++call->localCseq, call->remoteHeader);
        m_call.reset(); // the phone is free while the BYE transaction runs
        call->hangupEvent.Cancel();
        m_stack->SendNonInvite(bye, GetInDialogPeer(*call), [this, call](const SipMessage*) {
            call->record.sdd = Simulator::Now() - call->record.byeTime;
            Finish(call, call->record.finalCode);
        });
        return;
    }
    if (call->originating)
    {
        if (call->cancelled)
        {
            return;
        }
        call->cancelled = true;
        const SipMessage& invite = *call->invite;
        auto cancel = SipMessage::MakeRequest("CANCEL", invite.GetRequestUri());
        cancel.AddHeader("Via", invite.GetHeader("Via"));
        cancel.SetHeader("Max-Forwards", "70");
        cancel.SetHeader("From", invite.GetHeader("From"));
        cancel.SetHeader("To", invite.GetHeader("To"));
        cancel.SetHeader("Call-ID", invite.GetCallId());
        cancel.SetHeader("CSeq", std::to_string(invite.GetCSeqNumber()) + " CANCEL");
        auto proxy = GetProxy();
        if (proxy)
        {
            m_stack->SendNonInvite(cancel, *proxy, [](const SipMessage*) {});
        }
        return; // the 487 for the INVITE ends the call
    }
    // Callee rejects a ringing call.
    auto decline = SipMessage::MakeResponse(*call->invite, 603, "");
    decline.SetHeader("To", call->localHeader);
    m_stack->Respond(*call->invite, decline, call->inviteFrom);
    Finish(call, 603);
}

void
SipTerminal::OnBye(const SipMessage& m, const SipStack::Peer& from)
{
    auto call = m_call;
    if (!call || call->callId != m.GetCallId() || call->state != Call::CONFIRMED)
    {
        m_stack->Respond(m, SipMessage::MakeResponse(m, 481, ""), ViaPeer(m, from));
        return;
    }
    m_stack->Respond(m, SipMessage::MakeResponse(m, 200, ""), ViaPeer(m, from));
    m_stack->AckReceived(call->inviteBranch); // a BYE also ends 2xx retransmissions
    call->record.byeTime = Simulator::Now();
    Finish(call, call->record.finalCode);
}

void
SipTerminal::OnCancel(const SipMessage& m, const SipStack::Peer& from)
{
    auto call = m_call;
    bool match = call && !call->originating && call->inviteBranch == m.GetTopBranch() &&
                 call->callId == m.GetCallId();
    m_stack->Respond(m, SipMessage::MakeResponse(m, match ? 200 : 481, ""), ViaPeer(m, from));
    if (match && call->state == Call::RINGING)
    {
        NS_LOG_INFO(m_number << " stops ringing (CANCEL)");
        auto terminated = SipMessage::MakeResponse(*call->invite, 487, "");
        terminated.SetHeader("To", call->localHeader);
        m_stack->Respond(*call->invite, terminated, call->inviteFrom);
        Finish(call, 487);
    }
}

void
SipTerminal::StartMedia(Call& call)
{
    if (call.remoteRtpPort == 0 || IsPending(call.rtpEvent))
    {
        return;
    }
    uint32_t ssrc = 0x5000000u + GetNode()->GetId() * 4096u + call.localRtpPort;
    call.audio.StartSending(ssrc, static_cast<uint16_t>(ssrc * 7919u));
    // The event is held by call.rtpEvent: a weak pointer keeps that from being a cycle.
    std::weak_ptr<Call> self = m_call;
    call.rtpEvent = Simulator::ScheduleNow(&SipTerminal::SendRtp, this, self);
    if (call.videoSocket && call.remoteVideoPort != 0)
    {
        call.video.StartSending(ssrc + 1, static_cast<uint16_t>(ssrc * 31u));
        call.videoEvent = Simulator::ScheduleNow(&SipTerminal::SendVideo, this, self);
    }
}

void
SipTerminal::StopMedia(Call& call)
{
    call.rtpEvent.Cancel();
    call.videoEvent.Cancel();
}

void
SipTerminal::OpenVideoSocket(Call& call)
{
    if (!m_video)
    {
        return;
    }
    call.videoSocket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    call.videoSocket->Bind(InetSocketAddress(Ipv4Address::GetAny(), call.localRtpPort + 2));
    call.videoSocket->SetRecvCallback(MakeCallback(&SipTerminal::HandleVideo, this));
}

void
SipTerminal::SendVideo(std::weak_ptr<Call> weak)
{
    auto call = weak.lock();
    if (!call || !call->videoSocket || call->state == Call::ENDED)
    {
        return;
    }
    Ptr<Packet> p = Create<Packet>(m_videoPacketSize);
    // One packet per frame: every packet ends a frame (marker).
    p->AddHeader(call->video.NextHeader(34, 90000 / m_videoFrameRate * call->sampleEvery, true));
    call->videoSocket->SendTo(p,
                              0,
                              InetSocketAddress(call->remoteRtpAddress, call->remoteVideoPort));
    call->videoEvent = Simulator::Schedule(Seconds(call->sampleEvery * 1.0 / m_videoFrameRate),
                                           &SipTerminal::SendVideo,
                                           this,
                                           weak);
}

void
SipTerminal::HandleVideo(Ptr<Socket> socket)
{
    Address from;
    Ptr<Packet> p;
    while ((p = socket->RecvFrom(from)))
    {
        auto call = m_call;
        if (!call || call->videoSocket != socket || p->GetSize() < RtpHeader::SIZE)
        {
            continue;
        }
        RtpHeader h;
        p->RemoveHeader(h);
        if (h.IsValid() && call->video.AcceptSource(h.GetSsrc()))
        {
            call->video.Receive(h.GetSequence(), h.GetTimestamp(), Simulator::Now(), 90000);
        }
    }
}

void
SipTerminal::SendRtp(std::weak_ptr<Call> weak)
{
    auto call = weak.lock();
    if (!call || !call->rtpSocket || call->state == Call::ENDED)
    {
        return;
    }
    // G.711 carries 8 bits per sample at 8 kHz: 8 bytes per ms (160 for 20 ms).
    uint32_t samples = static_cast<uint32_t>(m_packetTime.GetMicroSeconds() *
                                             ClockRate(call->payloadType) / 1000000);
    uint32_t bytes = samples;
    std::vector<uint8_t> silence(bytes, 0xff); // mu-law silence
    Ptr<Packet> p = Create<Packet>(silence.data(), bytes);
    bool first = call->audio.GetSent() == 0; // marker: start of a talkspurt
    p->AddHeader(call->audio.NextHeader(call->payloadType, samples * call->sampleEvery, first));
    p->AddPacketTag(RtpSendTimeTag(Simulator::Now()));
    call->rtpSocket->SendTo(p, 0, InetSocketAddress(call->remoteRtpAddress, call->remoteRtpPort));
    call->rtpEvent =
        Simulator::Schedule(m_packetTime * call->sampleEvery, &SipTerminal::SendRtp, this, weak);
}

void
SipTerminal::HandleRtp(Ptr<Socket> socket)
{
    Address from;
    Ptr<Packet> p;
    while ((p = socket->RecvFrom(from)))
    {
        auto call = m_call;
        if (!call || call->rtpSocket != socket || p->GetSize() < RtpHeader::SIZE)
        {
            continue; // late packets of an ended call, or too short for RTP
        }
        RtpHeader h;
        p->RemoveHeader(h);
        if (!h.IsValid() || !call->audio.AcceptSource(h.GetSsrc()))
        {
            continue; // not RTP, or a second source mixed into the stream (counted)
        }
        RtpSendTimeTag tag;
        std::optional<Time> delay;
        if (p->PeekPacketTag(tag))
        {
            delay = Simulator::Now() - tag.GetSendTime();
        }
        call->audio.Receive(h.GetSequence(),
                            h.GetTimestamp(),
                            Simulator::Now(),
                            ClockRate(h.GetPayloadType()),
                            delay);
    }
}

void
SipTerminal::Finish(std::shared_ptr<Call> call, uint16_t finalCode)
{
    if (!call || call->state == Call::ENDED)
    {
        return;
    }
    call->state = Call::ENDED;
    call->hangupEvent.Cancel();
    call->answerEvent.Cancel();
    StopMedia(*call);
    CloseRtpSocket(*call);
    if (call->videoSocket)
    {
        call->videoSocket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        call->videoSocket->Close();
        call->videoSocket = nullptr;
    }
    auto& r = call->record;
    r.finalCode = finalCode;
    r.endTime = Simulator::Now();
    // In FlowLevel mode each RTP packet stands for sampleEvery packets of the stream.
    r.media.sent = call->audio.GetSent() * call->sampleEvery;
    r.media.received = call->audio.GetReceived() * call->sampleEvery;
    r.media.otherSource = call->audio.GetOtherSourceCount();
    r.media.expected = call->audio.GetExpected() * call->sampleEvery;
    r.media.jitterMs = call->audio.GetJitterMs();
    r.media.videoSent = call->video.GetSent() * call->sampleEvery;
    r.media.videoReceived = call->video.GetReceived() * call->sampleEvery;
    if (r.media.received > 0)
    {
        r.media.meanDelayMs = call->audio.GetMeanDelayMs();
        // Mouth-to-ear delay approximated by network delay plus one packet of audio.
        double d = r.media.meanDelayMs + m_packetTime.GetSeconds() * 1000.0;
        r.media.rFactor = EModel::RFactor(d, r.media.GetLossPercent());
        r.media.mos = EModel::Mos(r.media.rFactor);
    }
    if (m_call == call)
    {
        m_call.reset();
    }
    NS_LOG_INFO(m_number << ": call " << r.callId << " ended: " << r.GetOutcome());
    m_callEndedTrace(r);
}

// ---------------------------------------------------------------- direct registration
// A phone registering with an outside registrar learns its public SIP and RTP endpoints
// with seed 003 or STUN on those very sockets (the traversal messages are told apart from
// SIP and RTP by their first bytes), so the mappings it learns and keeps are the ones its
// SIP and RTP use.

bool
SipTerminal::IsDirect() const
{
    return m_traversalMode != static_cast<int>(TraversalMode::NONE);
}

bool
SipTerminal::IsTraversalReady() const
{
    return m_traversalReady;
}

Time
SipTerminal::GetTraversalDetectionTime() const
{
    return m_traversalTime;
}

Ipv4Address
SipTerminal::GetPublicAddress() const
{
    return m_publicAddress;
}

uint16_t
SipTerminal::GetPublicSipPort() const
{
    return m_publicSipPort;
}

uint16_t
SipTerminal::GetPublicRtpPort() const
{
    return m_publicRtpPort;
}

Ptr<NatDetectionClient>
SipTerminal::GetSipDetectionClient() const
{
    return m_seedSip;
}

Ptr<NatDetectionClient>
SipTerminal::GetRtpDetectionClient() const
{
    return m_seedRtp;
}

Ptr<StunClient>
SipTerminal::GetSipStunClient() const
{
    return m_stunSip;
}

Ptr<StunClient>
SipTerminal::GetRtpStunClient() const
{
    return m_stunRtp;
}

void
SipTerminal::StartTraversal()
{
    if (!IsDirect())
    {
        return;
    }
    NS_ABORT_MSG_IF(m_video,
                    "SipTerminal " << m_number
                                   << ": TraversalMode does not support Video (no mapping is "
                                      "learnt for the video port)");
    NS_ABORT_MSG_IF(m_proxy == Ipv4Address::GetAny(),
                    "SipTerminal " << m_number
                                   << ": TraversalMode needs Proxy, the outside registrar");
    const bool seed = m_traversalMode == static_cast<int>(TraversalMode::SEED003);
    const Ipv4Address server =
        m_traversalServer == Ipv4Address::GetAny() ? m_proxy : m_traversalServer;
    const uint16_t port = m_traversalServerPort != 0 ? m_traversalServerPort : (seed ? 7070 : 3478);
    const uint16_t mediaPort = m_firstRtpPort & ~1;
    // The media socket stays bound for the whole run: its mapping is learnt and kept
    // between calls, and every call sends and receives its RTP on it.
    m_mediaSocket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_mediaSocket->Bind(InetSocketAddress(Ipv4Address::GetAny(), mediaPort)) != 0,
                    "SipTerminal " << m_number << ": RTP port " << mediaPort << " is taken");
    m_mediaSocket->SetRecvCallback(MakeCallback(&SipTerminal::HandleIdleMedia, this));
    m_stack->SetForeignHandler(
        [this](Ptr<Packet> datagram, const Address&) { return OnSipDatagram(datagram); });
    m_traversalStart = Simulator::Now();
    const Ptr<Socket> sockets[2] = {m_stack->GetSocket(), m_mediaSocket};
    for (uint32_t i = 0; i < 2; ++i)
    {
        Ptr<Application> app;
        if (seed)
        {
            auto client = CreateObject<NatDetectionClient>();
            client->SetAttribute("ServerAddress", Ipv4AddressValue(server));
            client->SetAttribute("ServerPort", UintegerValue(port));
            client->SetAttribute("UserIndex", UintegerValue(m_traversalUserIndex + i));
            client->SetAttribute("KeepaliveInterval", TimeValue(m_keepaliveInterval));
            client->SetAttribute("KeepaliveStop", TimeValue(m_keepaliveStop));
            client->UseSocket(sockets[i]);
            client->TraceConnectWithoutContext("Verdict",
                                               MakeCallback(&SipTerminal::OnSeedVerdict, this));
            (i == 0 ? m_seedSip : m_seedRtp) = client;
            app = client;
        }
        else
        {
            auto client = CreateObject<StunClient>();
            client->SetAttribute("ServerAddress", Ipv4AddressValue(server));
            client->SetAttribute("ServerPort", UintegerValue(port));
            client->SetAttribute("KeepaliveInterval", TimeValue(m_keepaliveInterval));
            client->SetAttribute("KeepaliveStop", TimeValue(m_keepaliveStop));
            if (m_traversalStream >= 0)
            {
                client->AssignStreams(m_traversalStream + i);
            }
            client->UseSocket(sockets[i]);
            client->TraceConnectWithoutContext("Mapped",
                                               MakeCallback(&SipTerminal::OnStunMapped, this));
            (i == 0 ? m_stunSip : m_stunRtp) = client;
            app = client;
        }
        if (m_stopTime > Simulator::Now())
        {
            app->SetStopTime(m_stopTime - Simulator::Now());
        }
        GetNode()->AddApplication(app);
    }
}

void
SipTerminal::StopTraversal()
{
    if (m_mediaSocket)
    {
        m_mediaSocket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_mediaSocket->Close();
        m_mediaSocket = nullptr;
    }
}

void
SipTerminal::OnSeedVerdict(uint32_t, NatVerdict, Ipv4Address)
{
    CheckTraversal();
}

void
SipTerminal::OnStunMapped(Ipv4Address, uint16_t, NatVerdict)
{
    CheckTraversal();
}

void
SipTerminal::CheckTraversal()
{
    if (m_traversalReady)
    {
        return;
    }
    const uint16_t mediaPort = m_firstRtpPort & ~1;
    if (m_seedSip)
    {
        if (m_seedSip->GetVerdict() == NatVerdict::UNKNOWN ||
            m_seedRtp->GetVerdict() == NatVerdict::UNKNOWN)
        {
            return;
        }
        // Behind NAT P4 reported the mapped port; a public (or proxied) host's UDP leaves
        // with its own port.
        m_publicAddress = m_seedSip->GetObservedAddress();
        m_publicSipPort = m_seedSip->GetObservedPort() != 0 ? m_seedSip->GetObservedPort() : m_port;
        m_publicRtpAddress = m_seedRtp->GetObservedAddress();
        m_publicRtpPort =
            m_seedRtp->GetObservedPort() != 0 ? m_seedRtp->GetObservedPort() : mediaPort;
    }
    else if (m_stunSip)
    {
        if (m_stunSip->GetVerdict() == NatVerdict::UNKNOWN ||
            m_stunRtp->GetVerdict() == NatVerdict::UNKNOWN)
        {
            return;
        }
        m_publicAddress = m_stunSip->GetMappedAddress();
        m_publicSipPort = m_stunSip->GetMappedPort();
        m_publicRtpAddress = m_stunRtp->GetMappedAddress();
        m_publicRtpPort = m_stunRtp->GetMappedPort();
    }
    else
    {
        return;
    }
    m_traversalReady = true;
    m_traversalTime = Simulator::Now() - m_traversalStart;
    NS_LOG_INFO(m_number << ": seen as " << m_publicAddress << ":" << m_publicSipPort << " (SIP), "
                         << m_publicRtpAddress << ":" << m_publicRtpPort << " (RTP) after "
                         << m_traversalTime.As(Time::MS));
    m_traversalReadyTrace(m_traversalTime, m_publicAddress, m_publicSipPort, m_publicRtpPort);
    m_registerEvent.Cancel();
    Register();
}

bool
SipTerminal::OnSipDatagram(Ptr<Packet> datagram)
{
    switch (ClassifyDatagram(datagram))
    {
    case DatagramKind::SEED003:
        if (m_seedSip)
        {
            m_seedSip->Receive(datagram);
            return true;
        }
        return false; // not expected here: SIP parsing counts it as malformed
    case DatagramKind::STUN:
        if (m_stunSip)
        {
            m_stunSip->Receive(datagram);
            return true;
        }
        return false;
    default:
        return false;
    }
}

void
SipTerminal::HandleIdleMedia(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        const DatagramKind kind = ClassifyDatagram(p);
        if (kind == DatagramKind::SEED003 && m_seedRtp)
        {
            m_seedRtp->Receive(p);
        }
        else if (kind == DatagramKind::STUN && m_stunRtp)
        {
            m_stunRtp->Receive(p);
        }
        // anything else (late RTP of an ended call) is dropped
    }
}

void
SipTerminal::OpenRtpSocket(Call& call)
{
    if (m_mediaSocket)
    {
        call.localRtpPort = m_firstRtpPort & ~1;
        call.rtpSocket = m_mediaSocket;
        m_mediaSocket->SetRecvCallback(MakeCallback(&SipTerminal::HandleRtp, this));
        return;
    }
    call.rtpSocket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    call.rtpSocket->Bind(InetSocketAddress(Ipv4Address::GetAny(), call.localRtpPort));
    call.rtpSocket->SetRecvCallback(MakeCallback(&SipTerminal::HandleRtp, this));
}

void
SipTerminal::CloseRtpSocket(Call& call)
{
    if (!call.rtpSocket)
    {
        return;
    }
    if (call.rtpSocket == m_mediaSocket)
    {
        // Kept for the traversal; a newer call may already use it (hangup during BYE).
        if (!m_call || m_call.get() == &call)
        {
            m_mediaSocket->SetRecvCallback(MakeCallback(&SipTerminal::HandleIdleMedia, this));
        }
        call.rtpSocket = nullptr;
        return;
    }
    call.rtpSocket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
    call.rtpSocket->Close();
    call.rtpSocket = nullptr;
}

Ipv4Address
SipTerminal::GetContactAddress() const
{
    return m_traversalReady ? m_publicAddress : GetOwnAddress();
}

uint16_t
SipTerminal::GetContactPort() const
{
    return m_traversalReady ? m_publicSipPort : m_port;
}

uint16_t
SipTerminal::GetAdvertisedRtpPort(uint16_t localPort) const
{
    return m_traversalReady && localPort == (m_firstRtpPort & ~1) ? m_publicRtpPort : localPort;
}

Ipv4Address
SipTerminal::GetMediaAddress() const
{
    return m_traversalReady ? m_publicRtpAddress : GetOwnAddress();
}

} // namespace apartment
} // namespace ns3
