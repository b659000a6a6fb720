/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Benchmark: the module's calls with full media against raw ns-3 sending the same packets
 * over the same nodes and links. For each complex size two child processes build the same
 * topology (ApartmentTopologyHelper, 3 terminals per flat, up to 100 flats in one building,
 * bigger complexes in buildings of 100):
 *  - module: VoipHelper on every node; terminal 2 of each chosen flat dials a remote phone
 *    (registration, INVITE, RTP G.711 20 ms both ways, BYE);
 *  - raw: no VoIP at all; ns-3's UdpClient/UdpServer between the same two nodes, 172-byte
 *    UDP payload (12-byte RTP header + 160 bytes of G.711) every 20 ms each way, over the
 *    same span of time.
 * Each prints the time to build and route and to run, then, over the window in which
 * every call talks (registration and call set-up excluded, the same for both paths), the
 * media packets delivered (172-byte UDP payload, counted at Ipv4L3Protocol LocalDeliver of
 * the call ends), events executed, and wall and CPU time (user+sys, getrusage) per delivered
 * packet; the ratio module/raw of that is the figure of merit (each path runs --repeat
 * times, interleaved, and its fastest run counts). Each child also prints the heap it holds
 * per active call (glibc mallinfo2 with every call up, less the same once every call ended
 * and its transactions expired, 35 s after the end: registration state, kept results and
 * open sockets of the raw applications are in both samples). Prints figures;
 * asserts nothing about them (exit 1 only if a measurement could not be taken or a call failed).
 *
 *   media-vs-raw                          (10 flats, 10 calls, 60 s, best of 3)
 *   media-vs-raw --flats=10,100,1000 --duration=20s --repeat=1   (cost versus size)
 *   media-vs-raw --quick                  (10 flats, 15 s, as in ctest)
 *   media-vs-raw --only=module            (one path, e.g. under perf record)
 */

#include "process-figures.h"

#include "ns3/apartment-topology-helper.h"
#include "ns3/applications-module.h"
#include "ns3/command-line-values.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/scene-streams.h"
#include "ns3/schedule-function.h"
#include "ns3/voip-helper.h"

#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <malloc.h>
#include <set>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace ns3;
using namespace ns3::apartment;

using benchmark::CpuSeconds;
using benchmark::StatusBytes;
using benchmark::WallSeconds;

namespace
{

/// What one child measured (sent to the parent through a pipe).
struct Result
{
    double buildWall{0};
    double buildCpu{0};
    double runWall{0}; //!< all of Simulator::Run (registration, set-up, media, teardown)
    double runCpu{0};
    // The window in which every call talks (and nothing else starts or ends):
    double winWall{0};
    double winCpu{0};
    uint64_t delivered{0}; //!< media packets delivered in the window
    uint64_t events{0};    //!< events executed in the window
    uint32_t calls{0};
    uint32_t answered{0};
    double bytesPerCall{0}; //!< heap with every call (flow) up minus heap once all ended
    uint64_t peakRss{0};
};

struct Options
{
    uint32_t flats{10};
    uint32_t calls{0}; //!< 0: one per flat, at most 240 (remote phones)
    double duration{60};
};

uint32_t
CallCount(const Options& o)
{
    return o.calls > 0 ? o.calls : std::min<uint32_t>(o.flats, 240);
}

/// Flats per building: up to 100 flats in one building, bigger complexes in buildings of 100.
uint32_t
FlatsPerBuilding(uint32_t flats)
{
    return std::min<uint32_t>(flats, 100);
}

/// The terminal that makes call \p i (terminal 2 of its flat): calls spread evenly over the
/// flats.
Ptr<Node>
CallerOf(Ptr<ApartmentTopologyHelper> topology, uint32_t i, uint32_t calls, uint32_t flats)
{
    const auto flat = static_cast<uint32_t>(static_cast<uint64_t>(i) * flats / calls);
    return topology->GetTerminal(flat / FlatsPerBuilding(flats), flat % FlatsPerBuilding(flats), 1);
}

// Timing shared by both paths: call i starts at kFirstDial + i * 20 ms / calls (spread
// over one packet time), media starts kRing later and stops kStopBeforeEnd before the end.
const Time kFirstDial = Seconds(5); // after every terminal registered
const Time kRing = Seconds(1);
const Time kStopBeforeEnd = Seconds(1);
// After the end both paths run on this long without media, so that the calls' transactions
// (BYE: Timer J, 64 T1 = 32 s) are gone when the heap is sampled again.
const Time kSettle = Seconds(35);

Time
DialTime(uint32_t i, uint32_t calls)
{
    return kFirstDial + MicroSeconds(20000ULL * i / calls);
}

/// Media packets (172-byte UDP payload: 180 bytes above IP) delivered at the call ends.
uint64_t g_delivered = 0;

void
CountMedia(const Ipv4Header&, Ptr<const Packet> p, uint32_t)
{
    g_delivered += p->GetSize() == 180;
}

/// Counts media packets delivered to \p node (once per node).
void
CountAt(Ptr<Node> node, std::set<uint32_t>* counted)
{
    if (counted->insert(node->GetId()).second)
    {
        node->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext("LocalDeliver",
                                                                      MakeCallback(&CountMedia));
    }
}

/// CPU, wall, events and packets at one edge of the measured window.
struct Mark
{
    double cpu{0};
    double wall{0};
    uint64_t events{0};
    uint64_t delivered{0};
};

void
TakeMark(Mark* m)
{
    m->cpu = CpuSeconds();
    m->wall = WallSeconds();
    m->events = Simulator::GetEventCount();
    m->delivered = g_delivered;
}

/// The window: from when every call talks to just before the first hangs up.
void
MarkWindow(const Options& o, Mark* begin, Mark* end)
{
    Simulator::Schedule(kFirstDial + kRing + Seconds(1), &TakeMark, begin);
    Simulator::Schedule(Seconds(o.duration) - kStopBeforeEnd - MilliSeconds(500), &TakeMark, end);
}

void
FillWindow(const Mark& begin, const Mark& end, Result* r)
{
    r->winWall = end.wall - begin.wall;
    r->winCpu = end.cpu - begin.cpu;
    r->events = end.events - begin.events;
    r->delivered = end.delivered - begin.delivered;
}

/// Heap bytes in use (glibc mallinfo2): exact, unlike the page-granular resident set.
void
SampleHeap(uint64_t* out)
{
    *out = mallinfo2().uordblks;
}

Ptr<ApartmentTopologyHelper>
BuildTopology(const Options& o, uint32_t calls)
{
    auto topology = CreateObject<ApartmentTopologyHelper>();
    const uint32_t perBuilding = FlatsPerBuilding(o.flats);
    if (o.flats % perBuilding != 0)
    {
        std::cerr << "error: above 100, --flats must be a multiple of 100 (buildings of 100)\n";
        return nullptr;
    }
    topology->SetAttribute("Buildings", UintegerValue(o.flats / perBuilding));
    topology->SetAttribute("FlatsPerBuilding", UintegerValue(perBuilding));
    topology->SetAttribute("TerminalsPerFlat", UintegerValue(3));
    topology->SetAttribute("RemotePhones", UintegerValue(calls));
    std::string error = topology->Validate();
    if (!error.empty())
    {
        std::cerr << "error: " << error << "\n";
        return nullptr;
    }
    topology->Build();
    return topology;
}

/// The module: SIP calls with RTP, every packet simulated.
bool
RunModule(const Options& o, Result* r)
{
    const uint32_t calls = CallCount(o);
    double w0 = WallSeconds();
    double c0 = CpuSeconds();
    auto topology = BuildTopology(o, calls);
    if (!topology)
    {
        return false;
    }
    VoipHelper voip;
    voip.SetTerminalAttribute("RingTime", StringValue("ns3::ConstantRandomVariable[Constant=1]"));
    voip.Install(topology);
    SceneStreams streams(1); // the scene's one chain: phones and proxies, then ARP, CSMA
    streams.Assign(voip);
    streams.Assign(topology);
    r->buildWall = WallSeconds() - w0;
    r->buildCpu = CpuSeconds() - c0;

    const Time end = Seconds(o.duration);
    std::set<uint32_t> counted;
    for (uint32_t i = 0; i < calls; ++i)
    {
        Ptr<SipTerminal> caller = voip.GetTerminal(CallerOf(topology, i, calls, o.flats));
        std::string callee = topology->GetRemotePhoneNumber(i).ToString();
        const Time dial = DialTime(i, calls);
        const Time holding = end - kStopBeforeEnd - dial - kRing;
        ScheduleFunction(dial, [caller, callee, holding]() { caller->Dial(callee, holding); });
        CountAt(caller->GetNode(), &counted);
        CountAt(topology->GetRemotePhones().Get(i), &counted);
    }
    Mark begin;
    Mark stop;
    MarkWindow(o, &begin, &stop);
    uint64_t heapDuring = 0;
    uint64_t heapAfter = 0;
    Simulator::Schedule(end - kStopBeforeEnd - MilliSeconds(100), &SampleHeap, &heapDuring);
    Simulator::Schedule(end + kSettle - MilliSeconds(1), &SampleHeap, &heapAfter);

    Simulator::Stop(end + kSettle);
    w0 = WallSeconds();
    c0 = CpuSeconds();
    Simulator::Run();
    r->runWall = WallSeconds() - w0;
    r->runCpu = CpuSeconds() - c0;
    FillWindow(begin, stop, r);
    r->calls = calls;
    for (const auto& rec : voip.GetRecords())
    {
        r->answered += rec.originating && rec.finalCode == 200;
    }
    r->bytesPerCall =
        (static_cast<double>(heapDuring) - static_cast<double>(heapAfter)) / std::max(1u, calls);
    r->peakRss = StatusBytes("VmHWM:");
    Simulator::Destroy();
    return true;
}

/// Raw ns-3: UdpClient/UdpServer both ways between the same nodes, no VoIP.
bool
RunRaw(const Options& o, Result* r)
{
    const uint32_t calls = CallCount(o);
    double w0 = WallSeconds();
    double c0 = CpuSeconds();
    auto topology = BuildTopology(o, calls);
    if (!topology)
    {
        return false;
    }
    const Time end = Seconds(o.duration);
    const Time interval = MilliSeconds(20);
    std::vector<Ptr<UdpServer>> servers;
    std::set<uint32_t> counted;
    for (uint32_t i = 0; i < calls; ++i)
    {
        Ptr<Node> terminal = CallerOf(topology, i, calls, o.flats);
        Ptr<Node> phone = topology->GetRemotePhones().Get(i);
        CountAt(terminal, &counted);
        CountAt(phone, &counted);
        const uint16_t port = 16384;
        const Time start = DialTime(i, calls) + kRing;
        const Time stop = end - kStopBeforeEnd;
        const uint32_t packets = static_cast<uint32_t>((stop - start).GetMicroSeconds() / 20000);
        for (auto [from, to] : {std::make_pair(terminal, phone), std::make_pair(phone, terminal)})
        {
            UdpServerHelper server(port);
            ApplicationContainer s = server.Install(to);
            s.Start(Seconds(0));
            servers.push_back(DynamicCast<UdpServer>(s.Get(0)));
            UdpClientHelper client(ApartmentTopologyHelper::GetPrimaryAddress(to), port);
            client.SetAttribute("PacketSize", UintegerValue(172));
            client.SetAttribute("Interval", TimeValue(interval));
            client.SetAttribute("MaxPackets", UintegerValue(packets));
            ApplicationContainer c = client.Install(from);
            c.Start(start);
            c.Stop(stop);
        }
    }
    r->buildWall = WallSeconds() - w0;
    r->buildCpu = CpuSeconds() - c0;
    uint64_t heapDuring = 0;
    uint64_t heapAfter = 0;
    Simulator::Schedule(end - kStopBeforeEnd - MilliSeconds(100), &SampleHeap, &heapDuring);
    Simulator::Schedule(end + kSettle - MilliSeconds(1), &SampleHeap, &heapAfter);
    Mark begin;
    Mark stop;
    MarkWindow(o, &begin, &stop);
    Simulator::Stop(end + kSettle);
    w0 = WallSeconds();
    c0 = CpuSeconds();
    Simulator::Run();
    r->runWall = WallSeconds() - w0;
    r->runCpu = CpuSeconds() - c0;
    FillWindow(begin, stop, r);
    r->calls = calls;
    uint64_t received = 0;
    for (const auto& s : servers)
    {
        received += s->GetReceived();
    }
    r->answered = received > 0 ? calls : 0;
    r->bytesPerCall =
        (static_cast<double>(heapDuring) - static_cast<double>(heapAfter)) / std::max(1u, calls);
    r->peakRss = StatusBytes("VmHWM:");
    Simulator::Destroy();
    return true;
}

/// Runs one path in a child process (its own simulator, memory and peak RSS).
bool
InChild(bool module, const Options& o, Result* r)
{
    int fds[2];
    if (pipe(fds) != 0)
    {
        return false;
    }
    std::cout.flush();
    pid_t pid = fork();
    if (pid == 0)
    {
        close(fds[0]);
        Result mine;
        bool ok = module ? RunModule(o, &mine) : RunRaw(o, &mine);
        ok = ok && write(fds[1], &mine, sizeof(mine)) == static_cast<ssize_t>(sizeof(mine));
        _exit(ok ? 0 : 1);
    }
    close(fds[1]);
    bool ok = pid > 0 && read(fds[0], r, sizeof(*r)) == static_cast<ssize_t>(sizeof(*r));
    close(fds[0]);
    int status = 0;
    ok = pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0 && ok;
    return ok;
}

/// CPU seconds of Simulator::Run per delivered packet.
double
PerPacket(const Result& r)
{
    return r.winCpu / static_cast<double>(std::max<uint64_t>(1, r.delivered));
}

/// The first field of /proc/loadavg (-1 if unreadable).
double
LoadAverage()
{
    std::ifstream in("/proc/loadavg");
    double load = -1;
    in >> load;
    return load;
}

void
PrintRow(const std::string& path, uint32_t flats, const Result& r)
{
    const double pkts = static_cast<double>(std::max<uint64_t>(1, r.delivered));
    std::cout << std::setw(6) << flats << std::setw(6) << r.calls << "  " << std::left
              << std::setw(7) << path << std::right << std::setprecision(2) << std::setw(8)
              << r.buildCpu << std::setw(8) << r.runWall << std::setw(8) << r.runCpu
              << std::setw(10) << r.delivered << std::setw(11) << r.events << std::setprecision(1)
              << std::setw(8) << static_cast<double>(r.events) / pkts << std::setprecision(2)
              << std::setw(9) << r.winWall / pkts * 1e6 << std::setw(9) << r.winCpu / pkts * 1e6
              << std::setprecision(0) << std::setw(8) << r.peakRss / 1048576.0;
}

} // namespace

int
main(int argc, char* argv[])
{
    bool quick = false;
    std::string flatsText = "10";
    uint32_t calls = 0;
    std::string durationText = "60s";
    std::string only = "both";
    std::string scheduler = "priority";
    uint32_t repeat = 3;

    CommandLine cmd(__FILE__);
    cmd.Usage("CPU time per delivered RTP packet: the module's calls against raw ns-3 UDP "
              "(UdpClient/UdpServer) sending the same packets over the same topology.");
    cmd.AddValue("flats",
                 "flats of the complex (above 100: buildings of 100), or a list: 10,100,1000",
                 flatsText);
    cmd.AddValue("calls", "simultaneous calls (0: one per flat, at most 240)", calls);
    cmd.AddValue("duration", "simulated time per path (at least 10s)", durationText);
    cmd.AddValue("only", "both, module or raw (one path, e.g. for perf record)", only);
    cmd.AddValue("scheduler",
                 "ns-3 event scheduler: map, heap, calendar, list or priority",
                 scheduler);
    cmd.AddValue("repeat", "runs of each path, interleaved; the fastest counts (1-20)", repeat);
    cmd.AddValue("quick", "10 flats, 15 s, one run (a few seconds, for ctest)", quick);
    cmd.Parse(argc, argv);

    std::string error = SetGlobalScheduler(scheduler);
    if (!error.empty())
    {
        std::cerr << "error: --" << error << "\n";
        return 2;
    }
    if (quick)
    {
        flatsText = "10";
        durationText = "15s";
        repeat = 1;
    }
    if (repeat < 1 || repeat > 20)
    {
        std::cerr << "error: --repeat must be 1 to 20\n";
        return 2;
    }
    auto duration = ParseTime(durationText, &error);
    if (!duration || *duration < Seconds(10))
    {
        std::cerr << "error: --duration: " << (duration ? "must be at least 10s" : error) << "\n";
        return 2;
    }
    std::vector<uint32_t> sizes;
    std::istringstream list(flatsText);
    for (std::string item; std::getline(list, item, ',');)
    {
        char* endp = nullptr;
        unsigned long v = std::strtoul(item.c_str(), &endp, 10);
        if (item.empty() || *endp != '\0' || v < 1 || v > 8000)
        {
            std::cerr << "error: --flats must be numbers from 1 to 8000 separated by commas, "
                         "not '"
                      << flatsText << "'\n";
            return 2;
        }
        sizes.push_back(static_cast<uint32_t>(v));
    }
    if (only != "both" && only != "module" && only != "raw")
    {
        std::cerr << "error: --only must be both, module or raw, not '" << only << "'\n";
        return 2;
    }
    if (calls > 240)
    {
        std::cerr << "error: --calls must be at most 240 (one per remote phone)\n";
        return 2;
    }

    std::cout << "scheduler " << GetGlobalScheduler() << ", " << duration->GetSeconds()
              << " s simulated per path, G.711 20 ms both ways (172-byte UDP payload); times "
                 "in s, CPU = user+sys of the child, best of "
              << repeat << " interleaved run(s); load average " << LoadAverage() << "\n"
              << "build and run: CPU and wall of construction and of all of Simulator::Run; the "
                 "other columns cover the window in which every call talks ("
              << (kFirstDial + kRing + Seconds(1)).GetSeconds() << " s to "
              << (*duration - kStopBeforeEnd - MilliSeconds(500)).GetSeconds()
              << " s): media packets delivered, events, per delivered packet\n"
              << " flats calls  path    build  run-wall run-cpu delivered     events  ev/pkt "
                 "wall-us/p cpu-us/p  peakMiB\n"
              << std::fixed;
    int status = 0;
    for (uint32_t flats : sizes)
    {
        Options o;
        o.flats = flats;
        o.calls = calls;
        o.duration = duration->GetSeconds();
        // Repeats interleave the paths; the fastest repetition of each counts (load from
        // other processes only ever adds time).
        Result raw;
        Result module;
        bool ok = true;
        for (uint32_t rep = 0; rep < repeat && ok; ++rep)
        {
            Result r;
            if (only != "module")
            {
                ok = InChild(false, o, &r);
                raw = rep == 0 || PerPacket(r) < PerPacket(raw) ? r : raw;
            }
            if (ok && only != "raw")
            {
                ok = InChild(true, o, &r);
                module = rep == 0 || PerPacket(r) < PerPacket(module) ? r : module;
            }
        }
        if (!ok)
        {
            std::cerr << "error: the measurement at " << flats << " flats failed\n";
            status = 1;
            continue;
        }
        if (only != "module")
        {
            PrintRow("raw", flats, raw);
            std::cout << "  " << std::setprecision(1) << raw.bytesPerCall / 1024.0
                      << " KiB heap per flow pair\n";
        }
        if (only != "raw")
        {
            PrintRow("module", flats, module);
            std::cout << "  " << module.answered << "/" << module.calls << " answered, "
                      << std::setprecision(1) << module.bytesPerCall / 1024.0
                      << " KiB heap per active call"
                      << (o.duration < 45 ? " (still counts the registrations' transactions, "
                                            "kept 37 s: take it from a run of 45 s or more)"
                                          : "")
                      << "\n";
            if (module.answered != module.calls)
            {
                std::cerr << "error: " << module.calls - module.answered
                          << " calls were not answered\n";
                status = 1;
            }
        }
        if (only == "both")
        {
            const double ratio = PerPacket(module) / PerPacket(raw);
            std::cout << std::setw(6) << flats
                      << "  ratio module/raw per delivered packet (CPU): " << std::setprecision(2)
                      << ratio << " (target <= 1.15)\n";
        }
    }
    return status;
}
