/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_COMPAT_H
#define APARTMENT_VOIP_COMPAT_H

/**
 * \file
 * \ingroup apartment-voip
 * The differences between the ns-3 releases the module supports (3.35 to 3.48), in one
 * place, so that no other file tests the version.
 *
 * APARTMENT_VOIP_NS3_VERSION is 100 * major + minor (337 for ns-3.37). The module's
 * CMakeLists.txt and wscript define it from the ns-3 they build against: in a source tree
 * ns3/version-defines.h exists only with --enable-build-version, and a tree built on a
 * machine with Debian's libns3-dev would find Debian's copy (3.37) in /usr/include instead.
 * Code outside the module's build (a user's program) falls back to version-defines.h.
 */

#ifndef APARTMENT_VOIP_NS3_VERSION
#if __has_include("ns3/version-defines.h")
#include "ns3/version-defines.h"
#define APARTMENT_VOIP_NS3_VERSION (NS3_VERSION_MAJOR * 100 + NS3_VERSION_MINOR)
#else
#error "apartment-voip: define APARTMENT_VOIP_NS3_VERSION (e.g. 348 for ns-3.48)"
#endif
#endif

#if APARTMENT_VOIP_NS3_VERSION < 336
// ns-3.35's dhcp-header.h uses Ipv4Address without including its header.
#include "ns3/ipv4-address.h"
#endif

#include "ns3/abort.h"
#include "ns3/address.h"
#include "ns3/dhcp-header.h"
#include "ns3/enum.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#if APARTMENT_VOIP_NS3_VERSION >= 338
#include "ns3/ping-helper.h"
#else
#include "ns3/v4ping-helper.h"
#endif

#include <cstring>
#include <type_traits>

namespace ns3
{
namespace apartment
{

/// EventId::IsRunning() became IsPending() in ns-3.42 (IsRunning removed in 3.46).
inline bool
IsPending(const EventId& event)
{
#if APARTMENT_VOIP_NS3_VERSION >= 342
    return event.IsPending();
#else
    return event.IsRunning();
#endif
}

/// The type of the member a pointer to data member points to (void for anything else).
template <typename P>
struct MemberTypeOf
{
    using type = void; ///< not a pointer to data member
};

/// \copydoc MemberTypeOf
template <typename M, typename C>
struct MemberTypeOf<M C::*>
{
    using type = M; ///< the member's type
};

/**
 * MakeEnumAccessor needs the enum type since ns-3.41, where EnumValue became a template.
 * \tparam T the type the attribute's checker was made with (the member's type)
 * \param member the member (or getter/setter) that holds the value
 * \return the accessor
 */
template <typename T, typename U>
Ptr<const AttributeAccessor>
MakeEnumAttributeAccessor(U member)
{
    // ns-3.41+ rejects a T that differs from the member's type; check it on every release,
    // so the Debian (3.37) build catches what only a newer tree would.
    static_assert(std::is_member_object_pointer_v<U> == false ||
                      std::is_same_v<T, typename MemberTypeOf<U>::type>,
                  "MakeEnumAttributeAccessor<T>: T must be the member's type");
#if APARTMENT_VOIP_NS3_VERSION >= 341
    return MakeEnumAccessor<T>(member);
#else
    return MakeEnumAccessor(member);
#endif
}

#if APARTMENT_VOIP_NS3_VERSION >= 341
/// The value of an enum attribute (EnumValue<T> since ns-3.41, plain EnumValue before).
template <typename T>
using EnumAttributeValue = EnumValue<T>;
#else
template <typename T>
using EnumAttributeValue = EnumValue;
#endif

/**
 * The module keeps a DHCP client hardware address (chaddr, 16 bytes: the MAC address
 * zero-padded) in an Address, as DhcpHeader did before ns-3.47 (DhcpChaddr since). Since
 * 3.47 an Address needs a registered type: one is registered for chaddrs.
 * \param bytes the 16 bytes of the chaddr
 * \return the Address that represents them
 */
inline Address
MakeDhcpChaddrAddress(const uint8_t* bytes)
{
#if APARTMENT_VOIP_NS3_VERSION >= 347
    static const uint8_t type = Address::Register("ApartmentVoipDhcpChaddr", 16);
    return Address(type, bytes, 16);
#else
    Address address; // type 0, as DhcpHeader::GetChaddr() returned it
    address.CopyFrom(bytes, 16);
    return address;
#endif
}

/**
 * \param hardware a hardware address of at most 16 bytes (e.g. a Mac48Address)
 * \return its chaddr (zero-padded to 16 bytes), equal to what GetDhcpChaddr() reads
 */
inline Address
MakeDhcpChaddr(const Address& hardware)
{
    NS_ABORT_MSG_IF(hardware.GetLength() > 16, "a DHCP chaddr holds at most 16 bytes");
    uint8_t buffer[Address::MAX_SIZE] = {};
    hardware.CopyTo(buffer);
    return MakeDhcpChaddrAddress(buffer);
}

/// \return DhcpHeader's client hardware address, as MakeDhcpChaddr() builds it
inline Address
GetDhcpChaddr(DhcpHeader& header)
{
#if APARTMENT_VOIP_NS3_VERSION >= 347
    const DhcpChaddr chaddr = header.GetChaddr();
    return MakeDhcpChaddrAddress(chaddr.data());
#else
    return header.GetChaddr();
#endif
}

/// Sets DhcpHeader's client hardware address (at most 16 bytes, zero-padded).
inline void
SetDhcpChaddr(DhcpHeader& header, const Address& chaddr)
{
#if APARTMENT_VOIP_NS3_VERSION >= 347
    NS_ABORT_MSG_IF(chaddr.GetLength() > 16, "a DHCP chaddr holds at most 16 bytes");
    uint8_t buffer[Address::MAX_SIZE] = {};
    chaddr.CopyTo(buffer);
    DhcpChaddr bytes{};
    std::memcpy(bytes.data(), buffer, bytes.size());
    header.SetChaddr(bytes);
#else
    header.SetChaddr(chaddr);
#endif
}

/**
 * Installs a quiet ICMP echo (ping) application on \p node: V4Ping before ns-3.38, Ping
 * since (V4Ping was removed in 3.41).
 * \param node the node that pings
 * \param destination the address it pings
 * \param interval the time between echo requests
 * \return the application (not started)
 */
inline ApplicationContainer
InstallPing(Ptr<Node> node, Ipv4Address destination, Time interval)
{
#if APARTMENT_VOIP_NS3_VERSION >= 338
    PingHelper ping(destination);
    ping.SetAttribute("VerboseMode", EnumAttributeValue<Ping::VerboseMode>(Ping::SILENT));
#else
    V4PingHelper ping(destination);
#endif
    ping.SetAttribute("Interval", TimeValue(interval));
    return ping.Install(node);
}

namespace compat_detail
{
/// Ping reply sink of ns-3 releases whose V4Ping reports (Time); counts one reply.
inline void
CountReply(uint32_t* replies, Time)
{
    ++*replies;
}

/// Ping reply sink of ns-3 releases whose Ping reports (sequence, Time); counts one.
inline void
CountSequencedReply(uint32_t* replies, uint16_t, Time)
{
    ++*replies;
}
} // namespace compat_detail

/**
 * Counts the echo replies of an application made by InstallPing() (its "Rtt" trace has
 * a sequence number since ns-3.38).
 * \param ping the application
 * \param replies incremented on every reply; must outlive the simulation
 */
inline void
CountPingReplies(Ptr<Application> ping, uint32_t* replies)
{
#if APARTMENT_VOIP_NS3_VERSION >= 338
    ping->TraceConnectWithoutContext(
        "Rtt",
        MakeBoundCallback(&compat_detail::CountSequencedReply, replies));
#else
    ping->TraceConnectWithoutContext("Rtt", MakeBoundCallback(&compat_detail::CountReply, replies));
#endif
}

} // namespace apartment
} // namespace ns3

/**
 * In a class derived from an ns-3 class that overrides Object::GetInstanceTypeId() (such
 * as TrafficControlLayer), returns the class's own TypeId. Since ns-3.45 the method is
 * final in Object, which records the TypeId itself: the macro is then empty.
 * Use it followed by a semicolon in the class's public section.
 */
#if APARTMENT_VOIP_NS3_VERSION >= 345
#define APARTMENT_VOIP_INSTANCE_TYPE_ID static_assert(true, "")
#else
#define APARTMENT_VOIP_INSTANCE_TYPE_ID                                                            \
    TypeId GetInstanceTypeId() const override                                                      \
    {                                                                                              \
        return GetTypeId();                                                                        \
    }                                                                                              \
    static_assert(true, "")
#endif

#endif /* APARTMENT_VOIP_COMPAT_H */
