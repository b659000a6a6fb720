/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_ATTRIBUTE_FILE_H
#define APARTMENT_VOIP_ATTRIBUTE_FILE_H

#include <istream>
#include <set>
#include <string>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Applies ns-3's ConfigStore options of the command line; call it right after
 * CommandLine::Parse with the same \p argc and \p argv.
 *
 * - `--ns3::ConfigStore::Mode=Load --ns3::ConfigStore::Filename=f`: sets the attribute
 *   defaults (`default ns3::Type::Attribute "value"`) and global values (`global Name
 *   "value"`) of the RawText file f, as ConfigStore does, except those the command line sets
 *   itself (`--ns3::Type::Attribute=...`, `--RngRun=...`): the command line wins. It checks
 *   every line first, so that a typo is a sentence and not an abort, and leaves alone the
 *   lines that repeat the value in force: a file written by Save then reproduces the run it
 *   came from (ConfigStore itself would turn every random-variable default into one object
 *   shared by all instances). Per-object `value` lines are refused: these programs set
 *   defaults only.
 * - `--ns3::ConfigStore::Mode=Save --ns3::ConfigStore::Filename=f`: ConfigStore writes the
 *   defaults and global values in force (those of the command line included) to f.
 *
 * \param argc, argv the program's arguments, as given to CommandLine::Parse
 * \return "" or a sentence that says what is wrong.
 */
std::string ConfigureDefaultsFromStore(int argc, char* argv[]);

/**
 * \brief The Load half of ConfigureDefaultsFromStore: applies the RawText lines of \p in
 * (named \p fileName in messages), except those whose name is in \p keep. Checks every
 * line before it changes anything.
 * \return "" or a sentence that says what is wrong, with the line number.
 */
std::string LoadAttributeDefaults(std::istream& in,
                                  const std::string& fileName,
                                  const std::set<std::string>& keep = {});

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_ATTRIBUTE_FILE_H */
