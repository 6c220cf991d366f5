// libFuzzer entry for parse_dpkg_status: any bytes, both file kinds. Besides "no crash", it
// checks what the parser promises its callers.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/inventory/dpkg_status.h"
#include "tests/fuzz/reader_promises.h"

namespace {

using patchparty::fuzz::ascii_word;

void check(const patchparty::Package& p) {
  // Names and versions reach labels and command lines: never empty, never whitespace.
  if (p.name.empty() || p.version.empty() || p.source_name.empty() || p.source_version.empty())
    std::abort();
  if (!ascii_word(p.name) || !ascii_word(p.version) || !ascii_word(p.source_name) ||
      !ascii_word(p.source_version) || !ascii_word(p.arch))
    std::abort();
  if (p.origin != "dpkg" || p.ecosystem != "Debian:12") std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using patchparty::inventory::DpkgStatusKind;
  using patchparty::inventory::parse_dpkg_status;
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto status = parse_dpkg_status(text, "Debian:12", DpkgStatusKind::status);
  auto status_d = parse_dpkg_status(text, "Debian:12", DpkgStatusKind::status_d);
  if (status) {
    // Accepted as a status file means complete: the last non-blank line ends with a newline
    // and a blank line follows it.
    auto last = text.find_last_not_of(" \t\n");
    if (last != std::string_view::npos) {
      auto tail = text.substr(last);
      if (std::count(tail.begin(), tail.end(), '\n') < 2) std::abort();
    }
    // Every stanza had a Status, so the lenient reading must agree.
    if (!status_d || status_d->size() != status->size()) std::abort();
    for (const auto& p : *status) check(p);
  }
  if (status_d) {
    for (const auto& p : *status_d) check(p);
  }
  return 0;
}
