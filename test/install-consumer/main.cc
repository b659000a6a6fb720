/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Built against the installed package: builds a one-flat complex and prints its terminal.
 */

#include "ns3/apartment-voip-module.h"
#include "ns3/core-module.h"
#include "ns3/voip-helper.h"

#include <iostream>

using namespace ns3;
using namespace ns3::apartment;

int
main(int argc, char* argv[])
{
    CommandLine cmd(__FILE__);
    cmd.Parse(argc, argv);

    auto topology = CreateObject<ApartmentTopologyHelper>();
    topology->SetAttribute("FlatsPerBuilding", UintegerValue(1));
    topology->SetAttribute("TerminalsPerFlat", UintegerValue(1));
    topology->SetAttribute("RemotePhones", UintegerValue(1));
    std::string error = topology->Validate();
    if (!error.empty())
    {
        std::cerr << "error: " << error << "\n";
        return 2;
    }
    topology->Build();
    VoipHelper voip;
    voip.Install(topology);
    std::cout << "installed apartment-voip: terminal "
              << topology->GetTerminalNumber(0, 0, 1).ToString() << " on node "
              << topology->GetTerminal(0, 0, 1)->GetId() << ", " << voip.GetAllTerminals().size()
              << " SIP phones\n";
    Simulator::Destroy();
    return 0;
}
