/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "sip-loop-detector.h"

#include <cstdio>

namespace ns3
{
namespace apartment
{

const std::string SipLoopDetector::PREFIX = "z9hG4bKLp";

namespace
{

/// A Via as the grammar reads it, so LWS an element changed does not change the hash.
std::string
Normalized(const std::string& via)
{
    auto parsed = SipVia::Parse(via);
    return parsed ? parsed->ToString() : via;
}

} // namespace

std::string
SipLoopDetector::Hash(const SipMessage& request, const std::string& via)
{
    std::string key = request.GetToTag() + '\n' + request.GetFromTag() + '\n' +
                      request.GetCallId() + '\n' + request.GetRequestUri() + '\n' + via + '\n' +
                      std::to_string(request.GetCSeqNumber());
    for (const char* name : {"Proxy-Require", "Proxy-Authorization"})
    {
        for (const auto& value : request.GetHeaders(name))
        {
            key += '\n' + value;
        }
    }
    // libstdc++'s std::hash of a string has a fixed seed: the same on every run.
    char text[17];
    std::snprintf(text,
                  sizeof(text),
                  "%016llx",
                  static_cast<unsigned long long>(std::hash<std::string>()(key)));
    return text;
}

std::string
SipLoopDetector::MakeBranch(const SipMessage& received, const std::string& suffix)
{
    auto vias = received.GetHeaders("Via");
    return PREFIX + Hash(received, vias.empty() ? "" : Normalized(vias.front())) + "." + suffix;
}

bool
SipLoopDetector::IsLooped(const SipMessage& request,
                          const std::function<bool(const SipVia&)>& isOwn)
{
    auto vias = request.GetHeaders("Via");
    for (std::size_t i = 0; i + 1 < vias.size(); ++i)
    {
        auto via = SipVia::Parse(vias[i]);
        if (!via || !isOwn(*via))
        {
            continue;
        }
        const std::string branch = via->GetBranch();
        if (branch.compare(0, PREFIX.size(), PREFIX) != 0)
        {
            continue; // not a branch of ours with a hash in it
        }
        auto dot = branch.find('.', PREFIX.size());
        if (branch.substr(PREFIX.size(), dot - PREFIX.size()) ==
            Hash(request, Normalized(vias[i + 1])))
        {
            return true;
        }
    }
    return false;
}

} // namespace apartment
} // namespace ns3
