// Shared by the inventory readers' tests: osv-detector's expected output, oversized lockfiles
// that must be refused unread, and the oracles' command lines and the forms they print.
#pragma once

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collectors/inventory/inventory_kind.h"
#include "core/base/bounded_file.h"
#include "core/base/result.h"
#include "core/model/model.h"
#include "tests/support/test_data.h"

namespace patchparty::testing {

inline std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << file;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// What osv-detector printed for one lockfile (its e2e snapshot, "<lockfile>.out.txt").
struct DetectorOutput {
  std::size_t found = 0;                                      // "found N packages"
  std::vector<std::pair<std::string, std::string>> affected;  // "name@version is affected"
};

inline DetectorOutput read_detector_output(const std::filesystem::path& file) {
  DetectorOutput out;
  const std::string text = read_text(file);
  std::smatch m;
  if (std::regex_search(text, m, std::regex(R"(: found (\d+) packages)")))
    out.found = std::stoul(m[1].str());
  const std::regex affected(R"(^  (\S+)@([^@\s]+) is affected by)", std::regex::multiline);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), affected);
       it != std::sregex_iterator(); ++it)
    out.affected.emplace_back((*it)[1].str(), (*it)[2].str());
  EXPECT_GT(out.found, 0u) << "no package count in " << file;
  return out;
}

// Writes `head`, then `entry(i)` for i = 0, 1, ... until the file exceeds `bytes`, then `tail`:
// valid JSON far over the size cap, written in 1 MiB pieces so the test's own memory stays small.
template <class Entry>
void write_big_lockfile(const std::filesystem::path& file, std::size_t bytes,
                        const std::string& head, Entry entry, const std::string& tail) {
  std::ofstream out(file, std::ios::binary);
  out << head;
  std::size_t written = head.size();
  std::string chunk;
  for (std::size_t i = 0; written < bytes; ++i) {
    chunk += entry(i);
    if (chunk.size() >= (1u << 20)) {
      out << chunk;
      written += chunk.size();
      chunk.clear();
    }
  }
  out << chunk << tail;
  ASSERT_TRUE(out.good()) << "cannot write " << file;
}

// Peak resident set size of this process so far, in bytes.
inline std::size_t peak_rss_bytes() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::size_t>(usage.ru_maxrss) * 1024;
}

// `scan()` of an oversized lockfile fails over the 64 MiB cap within half a second and with the
// process's memory barely grown: the file was refused, not read.
template <class Scan>
void expect_refused_unread(Scan scan) {
  const std::size_t rss_before = peak_rss_bytes();
  const auto start = std::chrono::steady_clock::now();
  auto r = scan();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  expect_error(r, Errc::resource_exhausted, "over the limit of 67108864");
  EXPECT_LT(elapsed, std::chrono::milliseconds(500));
  EXPECT_LT(peak_rss_bytes() - rss_before, std::size_t{8} << 20);
}

// Standard output of a command line the test made from fixed parts: an oracle's answer.
inline std::string command_output(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  if (!pipe) return {};
  std::string out;
  char buf[65536];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe.get())) > 0;) out.append(buf, n);
  return out;
}

// (name, version) of each package, in the reader's order or as a multiset.
using OrderedPairs = std::vector<std::pair<std::string, std::string>>;
inline OrderedPairs ordered_pairs(const std::vector<Package>& packages) {
  OrderedPairs out;
  for (const Package& p : packages) out.emplace_back(p.name, p.version);
  return out;
}
using PairSet = std::multiset<std::pair<std::string, std::string>>;
inline PairSet pair_set(const std::vector<Package>& packages) {
  PairSet out;
  for (const Package& p : packages) out.emplace(p.name, p.version);
  return out;
}

// A Python lockfile reader's result as tests/oracles/python_lock_oracle.py prints it: sorted
// "name<TAB>version<TAB>dev" lines, or "error<TAB>code".
inline std::vector<std::string> lock_lines(const Result<std::vector<Package>>& r) {
  if (!r) return {"error\t" + std::string(errc_name(r.error().code))};
  std::vector<std::string> lines;
  for (const Package& p : *r)
    lines.push_back(p.name + "\t" + p.version + "\t" + (p.dev ? "1" : "0"));
  std::sort(lines.begin(), lines.end());
  return lines;
}

// The same file read by Python's own parsers (tomllib, json) under the documented rules.
inline std::vector<std::string> python_lock_oracle(std::string_view format,
                                                   const std::filesystem::path& file) {
  std::istringstream in(command_output("/usr/bin/python3 " PP_SOURCE_DIR
                                       "/tests/oracles/python_lock_oracle.py " +
                                       std::string(format) + " '" + file.string() + "'"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A fixture folder's files (sorted), after `extra` files.
inline std::vector<std::filesystem::path> fixture_files(
    const std::string& folder, std::vector<std::filesystem::path> extra = {}) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(test_data("lockfiles/osv-detector-fixtures/" + folder)))
    files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  extra.insert(extra.end(), files.begin(), files.end());
  return extra;
}

struct OracleTally {
  std::size_t packages = 0;  // over the files both read
  std::size_t refused = 0;   // files both refused, with the same error code
};

// Each file read by `scan(file)` and by python_lock_oracle(format): the same sorted lines.
template <class Scan>
OracleTally compare_with_python_oracle(std::string_view format,
                                       const std::vector<std::filesystem::path>& files, Scan scan) {
  OracleTally tally;
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    const auto got = lock_lines(scan(file));
    EXPECT_EQ(got, python_lock_oracle(format, file));
    if (!got.empty() && got[0].starts_with("error"))
      ++tally.refused;
    else
      tally.packages += got.size();
  }
  return tally;
}

// A lockfile kind as registered: its name, file names and ecosystem, and a fixture read through
// the source it opens.
inline void expect_lockfile_kind(const inventory::InventoryKind& kind, std::string_view name,
                                 const std::vector<std::string>& file_names,
                                 std::string_view ecosystem, const std::filesystem::path& fixture,
                                 std::size_t packages) {
  EXPECT_EQ(kind.name, name);
  EXPECT_EQ(kind.lockfile_names, file_names);
  EXPECT_EQ(kind.lockfile_ecosystem, ecosystem);
  auto source = kind.open_lockfile(fixture, "app", kDefaultMaxFileBytes);
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->name(), name);
  auto r = source->scan();
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->size(), packages);
}

}  // namespace patchparty::testing
