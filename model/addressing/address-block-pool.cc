/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "ns3/address-block-pool.h"

#include "ns3/crc32.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace ns3
{
namespace apartment
{

namespace
{

const char* const FILE_MAGIC = "apartment-voip-address-db";

uint32_t
Crc32(const std::string& text)
{
    // ns-3's CRC-32 (IEEE 802.3, as Boost's crc_32_type): files written before still load.
    return CRC32Calculate(reinterpret_cast<const uint8_t*>(text.data()),
                          static_cast<int>(text.size()));
}

bool
ParseAddress(const std::string& s, Ipv4Address& out)
{
    unsigned a;
    unsigned b;
    unsigned c;
    unsigned d;
    char tail;
    if (std::sscanf(s.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255 ||
        c > 255 || d > 255)
    {
        return false;
    }
    out = Ipv4Address((a << 24) | (b << 16) | (c << 8) | d);
    return true;
}

} // namespace

std::string
AddressBlockPool::Validate(const Config& c)
{
    if ((c.privateNetwork.Get() & 0x00ffffff) != 0)
    {
        return "the private network must be a /8 network address, e.g. 10.0.0.0";
    }
    if (c.blockLength < 17 || c.blockLength > 30)
    {
        return "the block prefix length must be between 17 and 30 (a /30 holds the gateway "
               "and one terminal)";
    }
    if (c.buildings == 0 || c.buildings > AddressPlan::MAX_BUILDINGS)
    {
        return "the number of buildings must be between 1 and " +
               std::to_string(AddressPlan::MAX_BUILDINGS);
    }
    const uint32_t size = 1u << (32 - c.blockLength);
    const uint32_t most = AddressPlan::FLAT_SPACE_SIZE / size;
    if (c.blocksPerBuilding == 0 || c.blocksPerBuilding > most)
    {
        return "blocks per building must be between 1 and " + std::to_string(most) + " for /" +
               std::to_string(c.blockLength) + " blocks";
    }
    return "";
}

AddressBlockPool::AddressBlockPool(const Config& config)
    : m_config(config)
{
    std::string err = Validate(config);
    if (!err.empty())
    {
        throw std::invalid_argument(err);
    }
    m_free.resize(config.buildings);
    for (auto& building : m_free)
    {
        for (uint32_t i = 0; i < config.blocksPerBuilding; ++i)
        {
            building.insert(building.end(), i);
        }
    }
}

const AddressBlockPool::Config&
AddressBlockPool::GetConfig() const
{
    return m_config;
}

uint32_t
AddressBlockPool::GetBlockSize() const
{
    return 1u << (32 - m_config.blockLength);
}

std::vector<Ipv4Prefix>
AddressBlockPool::GetAllBlocks() const
{
    std::vector<Ipv4Prefix> out;
    for (uint32_t b = 0; b < m_config.buildings; ++b)
    {
        for (uint32_t i = 0; i < m_config.blocksPerBuilding; ++i)
        {
            out.push_back(BlockAt(b, i));
        }
    }
    return out;
}

Ipv4Prefix
AddressBlockPool::BlockAt(uint32_t building, uint32_t index) const
{
    const uint32_t base = m_config.privateNetwork.Get() + (building << 16);
    return Ipv4Prefix{Ipv4Address(base + index * GetBlockSize()), m_config.blockLength};
}

std::optional<std::pair<uint32_t, uint32_t>>
AddressBlockPool::Locate(Ipv4Address network) const
{
    const uint32_t a = network.Get();
    if ((a & 0xff000000) != m_config.privateNetwork.Get())
    {
        return std::nullopt;
    }
    const uint32_t building = (a >> 16) & 0xff;
    const uint32_t offset = a & 0xffff;
    if (building >= m_config.buildings || offset % GetBlockSize() != 0 ||
        offset / GetBlockSize() >= m_config.blocksPerBuilding)
    {
        return std::nullopt;
    }
    return std::make_pair(building, offset / GetBlockSize());
}

std::optional<AddressBlockPool::Allotment>
AddressBlockPool::Allot(Ipv4Address holder, uint32_t building, Time now, Time lease)
{
    if (building >= m_config.buildings || m_free[building].empty())
    {
        return std::nullopt;
    }
    const uint32_t index = *m_free[building].begin();
    m_free[building].erase(m_free[building].begin());
    Allotment a{BlockAt(building, index), building, holder, now, now + lease};
    m_allotted[a.block.network.Get()] = a;
    return a;
}

bool
AddressBlockPool::Release(Ipv4Address holder, Ipv4Address block)
{
    auto it = m_allotted.find(block.Get());
    if (it == m_allotted.end() || it->second.holder != holder)
    {
        return false;
    }
    auto where = Locate(block);
    m_free[where->first].insert(where->second);
    m_allotted.erase(it);
    return true;
}

std::optional<AddressBlockPool::Allotment>
AddressBlockPool::Renew(Ipv4Address holder, Ipv4Address block, Time now, Time lease)
{
    auto it = m_allotted.find(block.Get());
    if (it == m_allotted.end() || it->second.holder != holder)
    {
        return std::nullopt;
    }
    it->second.expiry = now + lease;
    return it->second;
}

std::vector<AddressBlockPool::Allotment>
AddressBlockPool::ExpireUntil(Time now)
{
    std::vector<Allotment> reclaimed;
    for (auto it = m_allotted.begin(); it != m_allotted.end();)
    {
        if (it->second.expiry <= now)
        {
            reclaimed.push_back(it->second);
            auto where = Locate(it->second.block.network);
            m_free[where->first].insert(where->second);
            it = m_allotted.erase(it);
        }
        else
        {
            ++it;
        }
    }
    return reclaimed;
}

std::optional<Time>
AddressBlockPool::GetNextExpiry() const
{
    std::optional<Time> next;
    for (const auto& [network, a] : m_allotted)
    {
        if (!next || a.expiry < *next)
        {
            next = a.expiry;
        }
    }
    return next;
}

std::optional<AddressBlockPool::Allotment>
AddressBlockPool::Find(Ipv4Address block) const
{
    auto it = m_allotted.find(block.Get());
    if (it == m_allotted.end())
    {
        return std::nullopt;
    }
    return it->second;
}

std::optional<AddressBlockPool::Allotment>
AddressBlockPool::FindContaining(Ipv4Address address) const
{
    Ipv4Prefix p{address, m_config.blockLength};
    return Find(Ipv4Address(address.Get() & p.GetMask().Get()));
}

std::vector<AddressBlockPool::Allotment>
AddressBlockPool::GetBlocksOf(Ipv4Address holder) const
{
    std::vector<Allotment> out;
    for (const auto& [network, a] : m_allotted)
    {
        if (a.holder == holder)
        {
            out.push_back(a);
        }
    }
    return out;
}

std::vector<AddressBlockPool::Allotment>
AddressBlockPool::GetAllotments() const
{
    std::vector<Allotment> out;
    for (const auto& [network, a] : m_allotted)
    {
        out.push_back(a);
    }
    return out;
}

uint32_t
AddressBlockPool::GetNBlocks() const
{
    return m_config.buildings * m_config.blocksPerBuilding;
}

uint32_t
AddressBlockPool::GetNAllotted() const
{
    return static_cast<uint32_t>(m_allotted.size());
}

uint32_t
AddressBlockPool::GetNFree() const
{
    uint32_t n = 0;
    for (const auto& building : m_free)
    {
        n += static_cast<uint32_t>(building.size());
    }
    return n;
}

uint32_t
AddressBlockPool::GetNFree(uint32_t building) const
{
    return building < m_free.size() ? static_cast<uint32_t>(m_free[building].size()) : 0;
}

std::string
AddressBlockPool::CheckInvariant() const
{
    std::ostringstream err;
    if (GetNAllotted() + GetNFree() != GetNBlocks())
    {
        err << "allotted (" << GetNAllotted() << ") + free (" << GetNFree()
            << ") != configured blocks (" << GetNBlocks() << ")";
        return err.str();
    }
    for (const auto& [network, a] : m_allotted)
    {
        auto where = Locate(a.block.network);
        if (!where || where->first != a.building || network != a.block.network.Get())
        {
            err << "block " << a.block.ToString() << " is not a block of building " << a.building;
            return err.str();
        }
        if (m_free[where->first].count(where->second))
        {
            err << "block " << a.block.ToString() << " is both free and allotted to " << a.holder;
            return err.str();
        }
    }
    return "";
}

void
AddressBlockPool::Save(const std::string& path) const
{
    std::ostringstream body;
    body << FILE_MAGIC << " " << FILE_VERSION << "\n";
    body << "pool " << m_config.privateNetwork << " " << unsigned{m_config.blockLength} << " "
         << m_config.buildings << " " << m_config.blocksPerBuilding << "\n";
    for (const auto& [network, a] : m_allotted)
    {
        body << "block " << a.block.network << " " << a.holder << " " << a.since.GetTimeStep()
             << " " << a.expiry.GetTimeStep() << "\n";
    }
    std::string text = body.str();
    std::ostringstream crcLine;
    crcLine << "crc32 " << std::hex << std::setw(8) << std::setfill('0') << Crc32(text) << "\n";
    text += crcLine.str();

    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
        {
            throw std::runtime_error("address database: cannot write " + tmp + ": " +
                                     std::strerror(errno));
        }
        out << text;
        out.flush();
        if (!out)
        {
            throw std::runtime_error("address database: write to " + tmp + " failed");
        }
    }
    // rename() replaces the old file in one step: a crash leaves the old or the new file.
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
    {
        throw std::runtime_error("address database: cannot rename " + tmp + " to " + path + ": " +
                                 std::strerror(errno));
    }
}

void
AddressBlockPool::Load(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw std::runtime_error("address database: cannot read " + path + ": " +
                                 std::strerror(errno));
    }
    std::ostringstream all;
    all << in.rdbuf();
    const std::string text = all.str();
    auto fail = [&path](const std::string& what) {
        return std::runtime_error("address database " + path + " is corrupt: " + what);
    };

    const size_t crcPos = text.rfind("crc32 ");
    if (crcPos == std::string::npos || (crcPos != 0 && text[crcPos - 1] != '\n'))
    {
        throw fail("no checksum line");
    }
    const std::string body = text.substr(0, crcPos);
    unsigned long stored = 0;
    char tail = 0;
    if (std::sscanf(text.c_str() + crcPos, "crc32 %8lx%c", &stored, &tail) != 2 || tail != '\n' ||
        crcPos + 15 != text.size())
    {
        throw fail("bad checksum line");
    }
    if (stored != Crc32(body))
    {
        throw fail("checksum mismatch");
    }

    std::istringstream lines(body);
    std::string line;
    if (!std::getline(lines, line))
    {
        throw fail("empty file");
    }
    {
        std::istringstream is(line);
        std::string magic;
        uint32_t version = 0;
        if (!(is >> magic >> version) || magic != FILE_MAGIC)
        {
            throw fail("not an address database");
        }
        if (version != FILE_VERSION)
        {
            throw std::runtime_error("address database " + path + " has version " +
                                     std::to_string(version) + ", this program reads " +
                                     std::to_string(FILE_VERSION));
        }
    }
    if (!std::getline(lines, line))
    {
        throw fail("no pool line");
    }
    {
        std::istringstream is(line);
        std::string word;
        std::string network;
        unsigned length = 0;
        uint32_t buildings = 0;
        uint32_t blocks = 0;
        Ipv4Address net;
        if (!(is >> word >> network >> length >> buildings >> blocks) || word != "pool" ||
            !ParseAddress(network, net))
        {
            throw fail("bad pool line '" + line + "'");
        }
        if (net != m_config.privateNetwork || length != m_config.blockLength ||
            buildings != m_config.buildings || blocks != m_config.blocksPerBuilding)
        {
            throw std::runtime_error("address database " + path + " describes another pool ('" +
                                     line + "'); remove it or configure the same pool");
        }
    }

    AddressBlockPool loaded(m_config);
    while (std::getline(lines, line))
    {
        std::istringstream is(line);
        std::string word;
        std::string block;
        std::string holder;
        int64_t since = 0;
        int64_t expiry = 0;
        Ipv4Address net;
        Ipv4Address who;
        if (!(is >> word >> block >> holder >> since >> expiry) || word != "block" ||
            !ParseAddress(block, net) || !ParseAddress(holder, who))
        {
            throw fail("bad line '" + line + "'");
        }
        auto where = loaded.Locate(net);
        if (!where || !loaded.m_free[where->first].count(where->second))
        {
            throw fail("block " + block + " is not a free block of the pool");
        }
        loaded.m_free[where->first].erase(where->second);
        loaded.m_allotted[net.Get()] = Allotment{loaded.BlockAt(where->first, where->second),
                                                 where->first,
                                                 who,
                                                 TimeStep(since),
                                                 TimeStep(expiry)};
    }
    *this = loaded;
}

} // namespace apartment
} // namespace ns3
