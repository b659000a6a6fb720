/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef APARTMENT_VOIP_ATTRIBUTE_FILE_H
#define APARTMENT_VOIP_ATTRIBUTE_FILE_H

#include <istream>
#include <string>

namespace ns3
{
namespace apartment
{

/**
 * \ingroup apartment-voip
 * \brief Applies ns-3's ConfigStore options of the command line; call it right after
 * CommandLine::Parse (and parse again after it, so that the command line wins over the file).
 *
 * - `--ns3::ConfigStore::Mode=Load --ns3::ConfigStore::Filename=f`: sets the attribute
 *   defaults (`default ns3::Type::Attribute "value"`) and global values (`global Name
 *   "value"`) of the RawText file f, as ConfigStore does, but checks every line first, so
 *   that a typo is a sentence and not an abort, and leaves alone the lines that repeat the
 *   value in force: a file written by Save then reproduces the run it came from (ConfigStore
 *   itself would turn every random-variable default into one object shared by all
 *   instances). Per-object `value` lines are refused: these programs use defaults only.
 * - `--ns3::ConfigStore::Mode=Save --ns3::ConfigStore::Filename=f`: ConfigStore writes the
 *   defaults and global values in force (those of the command line included) to f.
 *
 * \return "" or a sentence that says what is wrong.
 */
std::string ConfigureDefaultsFromStore();

/**
 * \brief The Load half of ConfigureDefaultsFromStore: applies the RawText lines of \p in
 * (named \p fileName in messages). Checks every line before it changes anything.
 * \return "" or a sentence that says what is wrong, with the line number.
 */
std::string LoadAttributeDefaults(std::istream& in, const std::string& fileName);

} // namespace apartment
} // namespace ns3

#endif /* APARTMENT_VOIP_ATTRIBUTE_FILE_H */
