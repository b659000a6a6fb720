/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/keep-authenticator.h"

#include "ns3/abort.h"

namespace ns3
{
namespace apartment
{

KeepAuthenticator::KeepAuthenticator(const std::string& key)
{
    SetKey(key);
}

void
KeepAuthenticator::SetKey(const std::string& key)
{
    m_key = key;
    NS_ABORT_MSG_IF(!m_key.empty() && !CryptoAvailable(),
                    "a KEEP key needs OpenSSL's libcrypto, which this build lacks: "
                    "leave the key empty (no authentication) or build with libssl-dev");
}

bool
KeepAuthenticator::IsEnabled() const
{
    return !m_key.empty();
}

HmacSha256Code
KeepAuthenticator::Compute(const TraversalHeader& keep) const
{
    if (m_key.empty())
    {
        return HmacSha256Code{};
    }
    const std::vector<uint8_t> bytes = keep.GetAuthenticatedBytes();
    return HmacSha256(reinterpret_cast<const uint8_t*>(m_key.data()),
                      m_key.size(),
                      bytes.data(),
                      bytes.size());
}

void
KeepAuthenticator::Sign(TraversalHeader& keep)
{
    keep.SetSequence(m_nextSequence++);
    keep.SetMac(Compute(keep));
}

KeepAuthenticator::Result
KeepAuthenticator::Check(const TraversalHeader& keep, Ipv4Address sender)
{
    if (!keep.IsValid() || keep.GetType() != TraversalHeader::KEEP ||
        !CodesEqual(Compute(keep), keep.GetMac()))
    {
        return FORGED;
    }
    auto it = m_accepted.find(sender.Get());
    if (it != m_accepted.end() && keep.GetSequence() <= it->second)
    {
        return REPLAYED;
    }
    m_accepted[sender.Get()] = keep.GetSequence();
    return AUTHENTIC;
}

std::string
KeepAuthenticator::GetDefaultKey()
{
    return CryptoAvailable() ? "apartment-voip seed-003 KEEP key" : "";
}

std::string
KeepAuthenticator::GetResultName(Result result)
{
    switch (result)
    {
    case AUTHENTIC:
        return "authentic";
    case FORGED:
        return "forged";
    case REPLAYED:
        return "replayed";
    }
    return "unknown";
}

} // namespace apartment
} // namespace ns3
