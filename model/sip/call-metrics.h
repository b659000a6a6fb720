/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_CALL_METRICS_H
#define APARTMENT_VOIP_CALL_METRICS_H

#include "ns3/nstime.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Receive statistics of one RTP stream (RFC 3550 style) and its E-model score.
 */
struct MediaStats
{
    uint64_t sent{0};          //!< packets this side sent
    uint64_t received{0};      //!< packets this side received (of the stream's source)
    uint64_t otherSource{0};   //!< audio packets of a second RTP source, not in the statistics
    uint64_t expected{0};      //!< highest seq - first seq + 1 of the received stream
    double jitterMs{0};        //!< RFC 3550 interarrival jitter at the end of the call
    double meanDelayMs{0};     //!< mean one-way network delay
    double rFactor{0};         //!< E-model R of the received stream (0 if none received)
    double mos{0};             //!< MOS of the received stream (0 if none received)
    uint64_t videoSent{0};     //!< video RTP packets sent (0 without video)
    uint64_t videoReceived{0}; //!< video RTP packets received

    /// \return lost packets in percent of expected (0 if none expected)
    double GetLossPercent() const;
};

/**
 * \ingroup apartment-voip
 * \brief What one side of one call saw; the originating side's record carries the
 * RFC 6076 signalling metrics.
 */
struct CallRecord
{
    /// Call-ID of the call.
    std::string callId;
    /// True on the caller's side.
    bool originating{false};
    /// Number of this side.
    std::string localNumber;
    std::string remoteNumber; //!< dialled number (caller) or caller ID (callee)
    /// Id of this side's node.
    uint32_t localNode{0};
    Time inviteTime;         //!< INVITE sent or received
    Time answerTime;         //!< 200 received or sent; zero if never
    Time byeTime;            //!< BYE sent or received; zero if never
    Time endTime;            //!< when the call ended on this side
    uint16_t finalCode{0};   //!< final response to the INVITE (408 if it timed out)
    bool localHangup{false}; //!< this side sent the BYE
    std::vector<Time> srd;   //!< Session Request Delay of every early dialog, first first
    Time sdd;                //!< Session Disconnect Delay (BYE sent -> response), zero if n/a
    /// Media statistics (what this side received).
    MediaStats media;

    /// \return "answered", "busy", "not-found", "unavailable", "cancelled", "timeout", ...
    std::string GetOutcome() const;
    /// \return answer - invite, or a negative time if not answered
    Time GetTimeToAnswer() const;
    /// \return Session Duration Time (RFC 6076 §4.3), zero if not answered
    Time GetDuration() const;
    /// \return the first SRD, or a negative time if none
    Time GetFirstSrd() const;
};

/**
 * \ingroup apartment-voip
 * \brief Per-run ratios of RFC 6076 §4.4-4.6 over the originating records.
 */
struct SessionRatios
{
    /// Originating records counted (INVITEs sent).
    uint32_t attempts{0};
    double ser{0};  //!< Session Establishment Ratio, % of INVITEs answered 200
    double seer{0}; //!< Session Establishment Effectiveness Ratio, % of 200/480/486/600/603
    double isa{0};  //!< Ineffective Session Attempts, % of 408/500/503/504 (and timeouts)

    /// \return the ratios of the originating records in \p records
    static SessionRatios Compute(const std::vector<CallRecord>& records);
};

/// \brief Writes the CSV header line of WriteCsvRow.
void WriteCsvHeader(std::ostream& os);
/**
 * \brief Writes one line for a call: \p caller's record (signalling, and the media the
 * caller received) and, when known, \p callee's record (media the callee received).
 */
void WriteCsvRow(std::ostream& os, const CallRecord& caller, const CallRecord* callee);

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_CALL_METRICS_H */
