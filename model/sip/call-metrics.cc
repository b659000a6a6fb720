/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/call-metrics.h"

#include <iomanip>

namespace ns3
{
namespace apartment
{

double
MediaStats::GetLossPercent() const
{
    if (expected == 0 || received >= expected)
    {
        return 0.0;
    }
    return 100.0 * static_cast<double>(expected - received) / static_cast<double>(expected);
}

std::string
CallRecord::GetOutcome() const
{
    if (finalCode >= 200 && finalCode < 300)
    {
        return "answered";
    }
    switch (finalCode)
    {
    case 0:
        return "unfinished";
    case 404:
        return "not-found";
    case 408:
        return "timeout";
    case 480:
        return "unavailable";
    case 486:
    case 600:
        return "busy";
    case 487:
        return "cancelled";
    case 503:
        return "service-unavailable";
    default:
        return "failed-" + std::to_string(finalCode);
    }
}

Time
CallRecord::GetTimeToAnswer() const
{
    return answerTime.IsZero() ? Seconds(-1) : answerTime - inviteTime;
}

Time
CallRecord::GetDuration() const
{
    if (answerTime.IsZero())
    {
        return Time(0);
    }
    Time end = byeTime.IsZero() ? endTime : byeTime;
    return end - answerTime;
}

Time
CallRecord::GetFirstSrd() const
{
    return srd.empty() ? Seconds(-1) : srd.front();
}

SessionRatios
SessionRatios::Compute(const std::vector<CallRecord>& records)
{
    SessionRatios r;
    uint32_t ok = 0;
    uint32_t effective = 0;
    uint32_t ineffective = 0;
    for (const auto& c : records)
    {
        if (!c.originating || c.finalCode == 487 || c.finalCode == 0)
        {
            continue; // RFC 6076 leaves out INVITEs the caller cancelled and ones still open
        }
        ++r.attempts;
        uint16_t code = c.finalCode;
        ok += code >= 200 && code < 300;
        effective +=
            (code >= 200 && code < 300) || code == 480 || code == 486 || code == 600 || code == 603;
        ineffective += code == 408 || code == 500 || code == 503 || code == 504;
    }
    if (r.attempts > 0)
    {
        r.ser = 100.0 * ok / r.attempts;
        r.seer = 100.0 * effective / r.attempts;
        r.isa = 100.0 * ineffective / r.attempts;
    }
    return r;
}

void
WriteCsvHeader(std::ostream& os)
{
    os << "call_id,caller_node,caller_number,callee_number,invite_s,answer_s,end_s,outcome,"
          "final_code,srd_ms,srd_count,time_to_answer_ms,sdd_ms,duration_s,"
          "caller_rtp_sent,caller_rtp_received,caller_loss_pct,caller_jitter_ms,"
          "caller_delay_ms,caller_r,caller_mos,caller_video_sent,caller_video_received,"
          "callee_rtp_sent,callee_rtp_received,callee_loss_pct,callee_jitter_ms,callee_delay_ms,"
          "callee_r,callee_mos,callee_video_sent,callee_video_received\n";
}

void
WriteCsvRow(std::ostream& os, const CallRecord& c, const CallRecord* callee)
{
    auto ms = [](Time t) { return t.IsNegative() ? -1.0 : t.GetSeconds() * 1000.0; };
    auto media = [&os](const MediaStats* m) {
        if (!m)
        {
            os << ",,,,,,,,";
            return;
        }
        os << m->sent << "," << m->received << "," << m->GetLossPercent() << "," << m->jitterMs
           << "," << m->meanDelayMs << "," << m->rFactor << "," << m->mos << "," << m->videoSent
           << "," << m->videoReceived;
    };
    os << std::fixed << std::setprecision(3) << c.callId << "," << c.localNode << ","
       << c.localNumber << "," << c.remoteNumber << "," << c.inviteTime.GetSeconds() << ","
       << (c.answerTime.IsZero() ? -1.0 : c.answerTime.GetSeconds()) << ","
       << c.endTime.GetSeconds() << "," << c.GetOutcome() << "," << c.finalCode << ","
       << ms(c.GetFirstSrd()) << "," << c.srd.size() << "," << ms(c.GetTimeToAnswer()) << ","
       << (c.sdd.IsZero() ? -1.0 : ms(c.sdd)) << "," << c.GetDuration().GetSeconds() << ",";
    media(c.answerTime.IsZero() ? nullptr : &c.media);
    os << ",";
    media(callee && !c.answerTime.IsZero() ? &callee->media : nullptr);
    os << "\n";
}

} // namespace apartment
} // namespace ns3
