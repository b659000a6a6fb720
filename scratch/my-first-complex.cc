/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * A first program of your own: copy this file in scratch/, rename it and edit it. Every .cc
 * file in scratch/ (and every folder with a main) builds against the module and ns-3:
 *
 *   cmake --build build && build/scratch/my-first-complex
 *   build/scratch/my-first-complex --flats=4 --wanDelay=80ms
 *
 * It builds a small complex (one building, a few flats with one phone each, one phone
 * outside), makes one call from the first flat to the outside phone and prints how it went.
 */

#include "ns3/apartment-voip-module.h" // every header of the module
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <iostream>

using namespace ns3;
using namespace ns3::apartment;

int
main(int argc, char* argv[])
{
    uint32_t flats = 2;
    Time wanDelay = MilliSeconds(10);
    CommandLine cmd(__FILE__);
    cmd.AddValue("flats", "flats in the building", flats);
    cmd.AddValue("wanDelay", "one-way delay between the complex and the outside", wanDelay);
    cmd.Parse(argc, argv);
    // Attribute files (ns-3 ConfigStore, RawText): --ns3::ConfigStore::Filename=<file>
    // --ns3::ConfigStore::Mode=Load sets the defaults in it (the command line wins), Mode=Save
    // writes this run's.
    std::string error = ConfigureDefaultsFromStore(argc, argv);
    if (!error.empty())
    {
        std::cerr << "error: " << error << "\n";
        return 2;
    }

    // 1. The complex: the helper's attributes say how big it is; Validate() says what is
    //    wrong with them in a sentence, Build() creates the nodes, links and addresses.
    auto topology = CreateObject<ApartmentTopologyHelper>();
    topology->SetAttribute("Buildings", UintegerValue(1));
    topology->SetAttribute("FlatsPerBuilding", UintegerValue(flats));
    topology->SetAttribute("TerminalsPerFlat", UintegerValue(1));
    topology->SetAttribute("RemotePhones", UintegerValue(1));
    topology->SetAttribute("WanDelay", TimeValue(wanDelay));
    error = topology->Validate();
    if (!error.empty())
    {
        std::cerr << "error: " << error << "\n";
        return 2;
    }
    topology->Build();

    // 2. VoIP: a SIP phone on every terminal and outside phone, a SIP proxy on every home
    //    gateway and the gatekeeper.
    VoipHelper voip;
    voip.Install(topology);
    // Fixed random streams, so that the same run gives the same result: one chain for the
    // scene hands each part the streams after those of the part before.
    SceneStreams streams(1);
    streams.Assign(voip);
    streams.Assign(topology);

    // 3. One call: at 1 s the phone of flat 1 dials the outside phone and talks for 10 s.
    Ptr<SipTerminal> caller = voip.GetTerminal(topology->GetTerminal(0, 0, 1));
    std::string callee = topology->GetRemotePhoneNumber(0).ToString();
    Simulator::Schedule(Seconds(1), &SipTerminal::Dial, caller, callee, Seconds(10));

    Simulator::Stop(Seconds(30));
    Simulator::Run();

    // 4. The result: the caller's record of the call (RFC 6076 metrics, E-model MOS).
    for (const CallRecord& r : voip.GetOriginatingRecords())
    {
        std::cout << r.localNumber << " called " << r.remoteNumber << ": " << r.GetOutcome() << " ("
                  << r.finalCode << "), set-up " << r.GetFirstSrd().GetMilliSeconds()
                  << " ms, answered after " << r.GetTimeToAnswer().GetSeconds() << " s, talked "
                  << r.GetDuration().GetSeconds() << " s, MOS " << r.media.mos << "\n";
    }
    Simulator::Destroy();
    return 0;
}
