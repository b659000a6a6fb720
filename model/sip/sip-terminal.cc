/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/sip-terminal.h"

#include "ns3/apartment-voip-compat.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/pointer.h"
#include "ns3/rtp-header.h"
#include "ns3/sdp.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>

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
    std::optional<SipMessage> invite;
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
    uint16_t videoSeq{0};
    uint32_t videoTimestamp{0};
    uint16_t seq{0};
    uint32_t timestamp{0};
    uint32_t ssrc{0};
    bool firstRx{true};
    uint32_t firstSeq{0};
    uint32_t maxSeq{0};
    uint32_t cycles{0};
    JitterEstimator jitter;
    double delaySumMs{0};
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
            .AddAttribute("Port",
                          "SIP UDP port.",
                          UintegerValue(5060),
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
            .AddTraceSource("Tx",
                            "A SIP message was sent (its text).",
                            MakeTraceSourceAccessor(&SipTerminal::m_txTrace),
                            "ns3::TracedCallback::String")
            .AddTraceSource("Rx",
                            "A valid SIP message was received (its text).",
                            MakeTraceSourceAccessor(&SipTerminal::m_rxTrace),
                            "ns3::TracedCallback::String")
            .AddTraceSource("Drop",
                            "A malformed SIP datagram was dropped (text, reason).",
                            MakeTraceSourceAccessor(&SipTerminal::m_dropTrace),
                            "ns3::TracedCallback::StringString")
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
                            "ns3::TracedCallback::String")
            .AddTraceSource("CallEnded",
                            "A call ended on this side; its record.",
                            MakeTraceSourceAccessor(&SipTerminal::m_callEndedTrace),
                            "ns3::apartment::SipTerminal::CallRecordTracedCallback");
    return tid;
}

SipTerminal::SipTerminal()
    : m_interArrival(CreateObject<ExponentialRandomVariable>()),
      m_pick(CreateObject<UniformRandomVariable>())
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
    Application::DoDispose();
}

int64_t
SipTerminal::AssignStreams(int64_t stream)
{
    m_ringTime->SetStream(stream);
    m_holdingTime->SetStream(stream + 1);
    m_interArrival->SetStream(stream + 2);
    m_pick->SetStream(stream + 3);
    return 4;
}

void
SipTerminal::AddDestination(const std::string& number)
{
    m_destinations.push_back(number);
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
    Register();
    ScheduleNextAttempt();
}

void
SipTerminal::StopApplication()
{
    m_registerEvent.Cancel();
    m_trafficEvent.Cancel();
    if (m_call)
    {
        StopMedia(*m_call);
        m_call->hangupEvent.Cancel();
        m_call->answerEvent.Cancel();
        m_call.reset();
    }
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
        return SipStack::Peer{m_proxy, 5060};
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
    return SipStack::Peer{route->GetGateway(), 5060};
}

void
SipTerminal::Register()
{
    Ipv4Address own = GetOwnAddress();
    auto proxy = GetProxy();
    if (own == Ipv4Address::GetAny() || !proxy)
    {
        NS_LOG_INFO(m_number << ": no address or proxy yet, registering later");
        m_registerEvent = Simulator::Schedule(m_retryInterval, &SipTerminal::Register, this);
        return;
    }
    std::string proxyText = ToText(proxy->address);
    auto reg = SipMessage::MakeRequest("REGISTER", "sip:" + proxyText);
    reg.AddHeader("Via",
                  "SIP/2.0/UDP " + ToText(own) + ":" + std::to_string(m_port) +
                      ";branch=" + m_stack->NewBranch());
    reg.SetHeader("Max-Forwards", "70");
    reg.SetHeader("From", "<sip:" + m_user + "@" + proxyText + ">;tag=" + m_registerTag);
    reg.SetHeader("To", "<sip:" + m_user + "@" + proxyText + ">");
    reg.SetHeader("Call-ID", m_registerCallId);
    reg.SetHeader("CSeq", std::to_string(++m_registerCseq) + " REGISTER");
    auto expires = std::to_string(static_cast<uint64_t>(m_registerExpires.GetSeconds()));
    reg.SetHeader("Contact",
                  "<sip:" + m_user + "@" + ToText(own) + ":" + std::to_string(m_port) +
                      ">;expires=" + expires);
    reg.SetHeader("Expires", expires);
    reg.SetHeader("User-Agent", kUserAgent);
    Time sent = Simulator::Now();
    m_stack->SendNonInvite(reg, *proxy, [this, sent](const SipMessage* r) {
        OnRegisterResponse(sent, r);
    });
}

void
SipTerminal::OnRegisterResponse(Time sent, const SipMessage* response)
{
    if (!response || response->GetStatusCode() >= 300)
    {
        NS_LOG_INFO(m_number << ": registration failed ("
                             << (response ? response->GetStatusCode() : 408) << ")");
        m_registered = false;
        m_registerEvent = Simulator::Schedule(m_retryInterval, &SipTerminal::Register, this);
        return;
    }
    m_registered = true;
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
    m_registerEvent =
        Simulator::Schedule(std::max(granted / 2, Seconds(1)), &SipTerminal::Register, this);
}

void
SipTerminal::ScheduleNextAttempt()
{
    if (m_callRate <= 0 || m_destinations.empty())
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
    auto index = m_pick->GetInteger(0, static_cast<uint32_t>(m_destinations.size() - 1));
    Time holding = Seconds(std::max(0.1, m_holdingTime->GetValue()));
    if (m_registered && !m_call && SipDigits(m_destinations[index]) != m_user)
    {
        Dial(m_destinations[index], holding);
    }
    ScheduleNextAttempt();
}

bool
SipTerminal::Dial(const std::string& number, Time holding)
{
    std::string digits = SipDigits(number);
    Ipv4Address own = GetOwnAddress();
    auto proxy = GetProxy();
    if (m_call || digits.empty() || own == Ipv4Address::GetAny() || !proxy || !m_stack)
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
    m_nextRtpPort = m_nextRtpPort >= 32760 ? (m_firstRtpPort & ~1) : m_nextRtpPort + 4;
    call->record.callId = call->callId;
    call->record.originating = true;
    call->record.localNumber = m_number;
    call->record.remoteNumber = number;
    call->record.localNode = GetNode()->GetId();
    call->record.inviteTime = Simulator::Now();

    auto invite = SipMessage::MakeRequest("INVITE", "sip:" + digits + "@" + proxyText);
    invite.AddHeader("Via",
                     "SIP/2.0/UDP " + ToText(own) + ":" + std::to_string(m_port) +
                         ";branch=" + call->inviteBranch);
    invite.SetHeader("Max-Forwards", "70");
    invite.SetHeader("From", call->localHeader);
    invite.SetHeader("To", call->remoteHeader);
    invite.SetHeader("Call-ID", call->callId);
    invite.SetHeader("CSeq", "1 INVITE");
    invite.SetHeader("Contact",
                     "<sip:" + m_user + "@" + ToText(own) + ":" + std::to_string(m_port) + ">");
    invite.SetHeader("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS");
    invite.SetHeader("User-Agent", kUserAgent);
    // Bind the RTP port now so early media from the callee is not refused.
    call->rtpSocket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    call->rtpSocket->Bind(InetSocketAddress(Ipv4Address::GetAny(), call->localRtpPort));
    call->rtpSocket->SetRecvCallback(MakeCallback(&SipTerminal::HandleRtp, this));
    call->offeredVideo = m_video;
    OpenVideoSocket(*call);
    invite.SetBody(MakeSdp(*call), "application/sdp");
    call->invite = invite;
    NS_LOG_INFO(m_number << " dials " << number);
    std::string callId = call->callId;
    m_stack->SendInvite(invite, *proxy, [this, callId](const SipMessage* r) {
        if (m_call && m_call->callId == callId)
        {
            OnInviteResponse(r);
        }
        else if (r && r->GetStatusCode() >= 200 && r->GetStatusCode() < 300)
        {
            NS_LOG_INFO(m_number << ": 2xx for a call already ended is ignored");
        }
    });
    return true;
}

std::string
SipTerminal::MakeSdp(const Call& call) const
{
    SessionDescription sd;
    sd.originUser = m_user;
    sd.sessionId = call.localRtpPort + 1000ULL * GetNode()->GetId();
    sd.sessionVersion = 1;
    sd.originAddress = ToText(GetOwnAddress());
    sd.connectionAddress = sd.originAddress;
    sd.sessionName = "call";
    SdpMedia audio;
    audio.port = call.localRtpPort;
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
    else if (method == "OPTIONS")
    {
        m_stack->Respond(m, SipMessage::MakeResponse(m, 200, ""), ViaPeer(m, from));
    }
    else
    {
        m_stack->Respond(m, SipMessage::MakeResponse(m, 501, ""), ViaPeer(m, from));
    }
}

void
SipTerminal::OnIncomingInvite(const SipMessage& m, const SipStack::Peer& from)
{
    SipStack::Peer peer = ViaPeer(m, from);
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
    call->rtpSocket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    call->rtpSocket->Bind(InetSocketAddress(Ipv4Address::GetAny(), call->localRtpPort));
    call->rtpSocket->SetRecvCallback(MakeCallback(&SipTerminal::HandleRtp, this));
    m_callerIdTrace(caller);
    NS_LOG_INFO(m_number << " rings: call from " << caller);

    auto ringing = SipMessage::MakeResponse(m, 180, "");
    ringing.SetHeader("To", call->localHeader);
    for (const auto& rr : call->routeSet)
    {
        ringing.AddHeader("Record-Route", rr);
    }
    ringing.SetHeader("Contact",
                      "<sip:" + m_user + "@" + ToText(GetOwnAddress()) + ":" +
                          std::to_string(m_port) + ">");
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
                 "<sip:" + m_user + "@" + ToText(GetOwnAddress()) + ":" + std::to_string(m_port) +
                     ">");
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
                "SIP/2.0/UDP " + ToText(GetOwnAddress()) + ":" + std::to_string(m_port) +
                    ";branch=" + branch);
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
        m_stack->Send(MakeInDialog(other, "ACK", 1, response->GetHeader("To")),
                      GetInDialogPeer(other));
        if (tag != call->remoteTag)
        {
            auto bye = MakeInDialog(other, "BYE", 2, response->GetHeader("To"));
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
    m_stack->Send(MakeInDialog(*call, "ACK", 1, call->remoteHeader), GetInDialogPeer(*call));
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
    call.ssrc = 0x5000000u + GetNode()->GetId() * 4096u + call.localRtpPort;
    call.seq = static_cast<uint16_t>(call.ssrc * 7919u);
    call.timestamp = 0;
    auto self = m_call;
    call.rtpEvent = Simulator::ScheduleNow(&SipTerminal::SendRtp, this, self);
    if (call.videoSocket && call.remoteVideoPort != 0)
    {
        call.videoSeq = static_cast<uint16_t>(call.ssrc * 31u);
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
SipTerminal::SendVideo(std::shared_ptr<Call> call)
{
    if (!call->videoSocket || call->state == Call::ENDED)
    {
        return;
    }
    Ptr<Packet> p = Create<Packet>(m_videoPacketSize);
    RtpHeader h;
    h.SetPayloadType(34);
    h.SetSequence(call->videoSeq++);
    h.SetTimestamp(call->videoTimestamp);
    h.SetSsrc(call->ssrc + 1);
    h.SetMarker(true); // one packet per frame: every packet ends a frame
    call->videoTimestamp += 90000 / m_videoFrameRate;
    p->AddHeader(h);
    call->videoSocket->SendTo(p,
                              0,
                              InetSocketAddress(call->remoteRtpAddress, call->remoteVideoPort));
    ++call->record.media.videoSent;
    call->videoEvent =
        Simulator::Schedule(Seconds(1.0 / m_videoFrameRate), &SipTerminal::SendVideo, this, call);
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
        if (h.IsValid())
        {
            ++call->record.media.videoReceived;
        }
    }
}

void
SipTerminal::SendRtp(std::shared_ptr<Call> call)
{
    if (!call->rtpSocket || call->state == Call::ENDED)
    {
        return;
    }
    // G.711 carries 8 bits per sample at 8 kHz: 8 bytes per ms (160 for 20 ms).
    uint32_t samples = static_cast<uint32_t>(m_packetTime.GetMicroSeconds() *
                                             ClockRate(call->payloadType) / 1000000);
    uint32_t bytes = samples;
    std::vector<uint8_t> silence(bytes, 0xff); // mu-law silence
    Ptr<Packet> p = Create<Packet>(silence.data(), bytes);
    RtpHeader h;
    h.SetPayloadType(call->payloadType);
    h.SetSequence(call->seq++);
    h.SetTimestamp(call->timestamp);
    h.SetSsrc(call->ssrc);
    h.SetMarker(call->record.media.sent == 0);
    call->timestamp += samples;
    p->AddHeader(h);
    p->AddPacketTag(RtpSendTimeTag(Simulator::Now()));
    call->rtpSocket->SendTo(p, 0, InetSocketAddress(call->remoteRtpAddress, call->remoteRtpPort));
    ++call->record.media.sent;
    call->rtpEvent = Simulator::Schedule(m_packetTime, &SipTerminal::SendRtp, this, call);
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
        if (!h.IsValid())
        {
            continue;
        }
        auto& media = call->record.media;
        uint16_t seq = h.GetSequence();
        if (call->firstRx)
        {
            call->firstRx = false;
            call->firstSeq = seq;
            call->maxSeq = seq;
        }
        else
        {
            uint16_t delta = static_cast<uint16_t>(seq - static_cast<uint16_t>(call->maxSeq));
            if (delta != 0 && delta < 0x8000)
            {
                if (seq < static_cast<uint16_t>(call->maxSeq))
                {
                    call->cycles += 65536; // sequence number wrapped
                }
                call->maxSeq = seq;
            }
        }
        ++media.received;
        media.expected = call->cycles + call->maxSeq - call->firstSeq + 1;
        double clock = ClockRate(h.GetPayloadType());
        call->jitter.Update(Simulator::Now().GetSeconds() * clock, h.GetTimestamp());
        media.jitterMs = call->jitter.GetJitter() / clock * 1000.0;
        RtpSendTimeTag tag;
        if (p->PeekPacketTag(tag))
        {
            call->delaySumMs += (Simulator::Now() - tag.GetSendTime()).GetSeconds() * 1000.0;
        }
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
    if (call->rtpSocket)
    {
        call->rtpSocket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        call->rtpSocket->Close();
        call->rtpSocket = nullptr;
    }
    if (call->videoSocket)
    {
        call->videoSocket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        call->videoSocket->Close();
        call->videoSocket = nullptr;
    }
    auto& r = call->record;
    r.finalCode = finalCode;
    r.endTime = Simulator::Now();
    if (r.media.received > 0)
    {
        r.media.meanDelayMs = call->delaySumMs / static_cast<double>(r.media.received);
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

} // namespace apartment
} // namespace ns3
