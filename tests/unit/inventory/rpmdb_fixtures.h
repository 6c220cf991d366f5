// The shared real rpmdbs (../shared/data/rpmdb, see its MANIFEST.md) and their expected package
// lists, as "name\tepochnum\tversion\trelease\tarch\tsourcerpm" lines, the form rpm printed them.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "collectors/inventory/rpm_db.h"
#include "tests/support/test_data.h"

namespace patchparty::inventory::rpmdb_fixtures {

inline std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// expected-packages.tsv without gpg-pubkey, which the reader skips, sorted.
inline std::vector<std::string> expected_lines(const std::string& folder) {
  std::ifstream in(testing::test_data("rpmdb/" + folder + "/expected-packages.tsv"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.starts_with("gpg-pubkey\t")) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  return lines;
}

inline std::string header_line(const RpmHeader& h) {
  auto or_none = [](const std::string& s) { return s.empty() ? std::string("(none)") : s; };
  return h.name + "\t" + std::to_string(h.epoch.value_or(0)) + "\t" + h.version + "\t" + h.release +
         "\t" + or_none(h.arch) + "\t" + or_none(h.source_rpm);
}

// The same line rebuilt from what RpmDb::scan reports.
inline std::string package_line(const Package& p) {
  std::string epoch = "0";
  std::string evr = p.version;
  if (auto colon = evr.find(':'); colon != std::string::npos) {
    epoch = evr.substr(0, colon);
    evr = evr.substr(colon + 1);
  }
  const auto dash = evr.rfind('-');
  std::string source = p.source_version;
  if (auto colon = source.find(':'); colon != std::string::npos) source = source.substr(colon + 1);
  return p.name + "\t" + epoch + "\t" + evr.substr(0, dash) + "\t" + evr.substr(dash + 1) + "\t" +
         (p.arch.empty() ? "(none)" : p.arch) + "\t" + p.source_name + "-" + source + ".src.rpm";
}

inline std::vector<std::string> package_lines(const std::vector<Package>& packages) {
  std::vector<std::string> lines;
  for (const Package& p : packages) lines.push_back(package_line(p));
  std::sort(lines.begin(), lines.end());
  return lines;
}

}  // namespace patchparty::inventory::rpmdb_fixtures
