/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_ADDRESS_BLOCK_POOL_H
#define APARTMENT_VOIP_ADDRESS_BLOCK_POOL_H

#include "ns3/address-plan.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief The complex's private address space cut into blocks, each allotted or free.
 *
 * Blocks of building b are taken from the start of building b's region P.b.0.0 (see
 * AddressPlan), so the core's one route per building stays valid whatever gateway of the
 * building holds a block. A block is allotted to a holder (the gateway's backbone address)
 * with the time it was allotted and the time its lease expires.
 *
 * Pure logic: no simulator. Times are passed in. Save() and Load() keep the database in a
 * text file (version line, one line per allotted block, CRC-32 line) written atomically.
 */
class AddressBlockPool
{
  public:
    /// Shape of the pool.
    struct Config
    {
        Ipv4Address privateNetwork{"10.0.0.0"}; //!< a /8; building b owns P.b.0.0/16
        uint8_t blockLength{29};                //!< prefix length of every block
        uint32_t buildings{1};                  //!< number of building regions
        uint32_t blocksPerBuilding{1};          //!< blocks in every building region
    };

    /// One allotted block.
    struct Allotment
    {
        Ipv4Prefix block;   //!< the block
        uint32_t building;  //!< building region it belongs to
        Ipv4Address holder; //!< who holds it
        Time since;         //!< when it was allotted
        Time expiry;        //!< when its lease ends unless renewed
    };

    /**
     * \return an empty string if \p config fits into the address plan's regions,
     * otherwise what is wrong
     */
    static std::string Validate(const Config& config);

    /// \throws std::invalid_argument with the message of Validate()
    explicit AddressBlockPool(const Config& config);

    /// \return the configuration the pool was built from
    const Config& GetConfig() const;

    /**
     * \brief Allots the lowest free block of \p building to \p holder.
     * \return the allotment, or nothing if the building's region is exhausted or
     *         \p building is out of range
     */
    std::optional<Allotment> Allot(Ipv4Address holder, uint32_t building, Time now, Time lease);
    /**
     * \brief Frees \p block if \p holder holds it.
     * \return true if it was freed
     */
    bool Release(Ipv4Address holder, Ipv4Address block);
    /**
     * \brief Extends the lease of \p block held by \p holder to now + lease.
     * \return the updated allotment, or nothing if \p holder does not hold \p block
     */
    std::optional<Allotment> Renew(Ipv4Address holder, Ipv4Address block, Time now, Time lease);
    /**
     * \brief Frees every block whose lease ended at or before \p now.
     * \return the allotments that were reclaimed
     */
    std::vector<Allotment> ExpireUntil(Time now);
    /// \return the earliest lease expiry, if any block is allotted
    std::optional<Time> GetNextExpiry() const;

    /// \return the allotment of the block whose network is \p block, if allotted
    std::optional<Allotment> Find(Ipv4Address block) const;
    /// \return the allotment of the block that contains \p address, if allotted
    std::optional<Allotment> FindContaining(Ipv4Address address) const;
    /// \return every block \p holder holds, lowest first
    std::vector<Allotment> GetBlocksOf(Ipv4Address holder) const;
    /// \return every allotted block, lowest first
    std::vector<Allotment> GetAllotments() const;

    uint32_t GetNBlocks() const;                //!< \return the configured number of blocks
    uint32_t GetNAllotted() const;              //!< \return blocks allotted
    uint32_t GetNFree() const;                  //!< \return blocks free
    uint32_t GetNFree(uint32_t building) const; //!< \return free blocks of \p building
    uint32_t GetBlockSize() const;              //!< \return addresses per block
    /// \return every block of the pool, allotted or free, building by building
    std::vector<Ipv4Prefix> GetAllBlocks() const;

    /**
     * \return an empty string if allotted + free equals the configured blocks, every block
     * lies in its building's region and no block is both free and allotted; otherwise
     * what is wrong
     */
    std::string CheckInvariant() const;

    /**
     * \brief Writes the database to \p path (temporary file + rename).
     * \throws std::runtime_error if the file cannot be written
     */
    void Save(const std::string& path) const;
    /**
     * \brief Replaces the state with the database stored in \p path.
     * \throws std::runtime_error if the file cannot be read, is corrupt (bad checksum,
     * bad line) or describes another pool shape; the pool is left unchanged then
     */
    void Load(const std::string& path);

    /// Version of the file format written by Save().
    static constexpr uint32_t FILE_VERSION = 1;

  private:
    Ipv4Prefix BlockAt(uint32_t building, uint32_t index) const;
    /// \return (building, index) of the block starting at \p network, if it is one
    std::optional<std::pair<uint32_t, uint32_t>> Locate(Ipv4Address network) const;

    Config m_config;
    std::map<uint32_t, Allotment> m_allotted; //!< by block network (host order)
    std::vector<std::set<uint32_t>> m_free;   //!< per building: free block indices
};

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_ADDRESS_BLOCK_POOL_H */
