/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_BENCHMARK_PROCESS_FIGURES_H
#define APARTMENT_VOIP_BENCHMARK_PROCESS_FIGURES_H

// What the benchmarks measure about their own process (Linux): CPU and wall time, and
// resident memory from /proc/self/status.

#include <chrono>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/resource.h>

namespace benchmark
{

/// CPU time (user+sys) of this process in seconds.
inline double
CpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/// A monotonic wall clock in seconds.
inline double
WallSeconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// A "VmHWM:" or "VmRSS:" line of /proc/self/status, in bytes (0 if absent).
inline uint64_t
StatusBytes(const std::string& key)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
    {
        if (line.compare(0, key.size(), key) == 0)
        {
            std::istringstream is(line.substr(key.size()));
            uint64_t kb = 0;
            is >> kb;
            return kb * 1024;
        }
    }
    return 0;
}

} // namespace benchmark

#endif /* APARTMENT_VOIP_BENCHMARK_PROCESS_FIGURES_H */
