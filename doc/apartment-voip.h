/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_DOC_H
#define APARTMENT_VOIP_DOC_H

/**
 * \defgroup apartment-voip Apartment VoIP
 *
 * Voice over IP in apartment complexes whose phones sit behind two levels of private
 * networks and NAT: terminals in each flat behind a home gateway, the gateways on the
 * complex's primary LAN behind a NAT router, a gatekeeper at the entrance that maps phone
 * numbers (PREFIX-BBBB-RRRR-T) to addresses and sets up calls with the outside.
 *
 * The module follows two documents: "Incoming and outgoing call system based on
 * duplicate private network" (Korean patent application 10-2002-0071394) and "System and
 * method for exchanging online information over private network" (NAT detection with
 * packets P1-P7 and UDP traversal).
 *
 * Model: plain classes for the protocol logic (numbering plan, address plan, block pool,
 * NAT table, SIP/SDP codecs and routing, transaction timers, E-model, RFC 6076 metrics),
 * one ns3::Header per wire format, and thin ns3::Application classes around them.
 * Helpers: ApartmentTopologyHelper, AddressAllocationHelper, NatHelper, VoipHelper.
 * See doc/apartment-voip.rst for the user documentation.
 */

/**
 * \ingroup apartment-voip
 * \defgroup apartment-voip-tests Apartment VoIP tests
 *
 * GoogleTest cases (test/, run by ctest) and ns-3 test suites for the module.
 */

#endif /* APARTMENT_VOIP_DOC_H */
