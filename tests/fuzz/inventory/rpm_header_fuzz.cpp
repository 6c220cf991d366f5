// libFuzzer entry for parse_rpm_header: any bytes as a header blob from the rpmdb. Besides
// "no crash", it checks what the parser promises its callers.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "collectors/inventory/rpm_db.h"
#include "tests/fuzz/reader_promises.h"

namespace {

using patchparty::inventory::parse_rpm_header;

using patchparty::fuzz::ascii_word;

void check(std::string_view blob) {
  auto header = parse_rpm_header(blob);
  if (!header) {
    if (header.error().code != patchparty::Errc::data_loss) std::abort();
    return;
  }
  if (header->name.empty() || header->version.empty() || header->release.empty()) std::abort();
  if (!ascii_word(header->name) || !ascii_word(header->version) || !ascii_word(header->release) ||
      !ascii_word(header->arch))
    std::abort();
  if (header->version.find('-') != std::string::npos ||
      header->release.find('-') != std::string::npos)
    std::abort();
  const auto p = patchparty::inventory::rpm_package(*header, "Red Hat");
  if (p.version != patchparty::inventory::rpm_evr(*header) || p.source_name.empty() ||
      p.source_version.empty() || p.origin != "rpm")
    std::abort();
}

void put32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

std::uint32_t take32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

// A second view of the same bytes: a well-formed preamble and an index of the six inventory
// tags whose type, offset and count come from the input, the rest being the data store. Random
// bytes rarely get past the preamble's size check, so without this the tag readers would be
// reached only by inputs shaped like real headers.
void check_structured(const std::uint8_t* data, std::size_t size) {
  constexpr std::array<std::uint32_t, 6> kTags = {1000, 1001, 1002, 1003, 1022, 1044};
  constexpr std::size_t kPerTag = 9;
  if (size < kTags.size() * kPerTag) return;
  const std::string_view store(reinterpret_cast<const char*>(data) + kTags.size() * kPerTag,
                               size - kTags.size() * kPerTag);
  std::string blob;
  put32(blob, kTags.size());
  put32(blob, static_cast<std::uint32_t>(store.size()));
  for (std::size_t i = 0; i < kTags.size(); ++i) {
    const std::uint8_t* d = data + i * kPerTag;
    put32(blob, kTags[i]);
    put32(blob, d[0] % 10);
    put32(blob, take32(d + 1) % static_cast<std::uint32_t>(store.size() + 1));
    put32(blob, take32(d + 5) % 4);
  }
  blob.append(store);
  check(blob);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check(std::string_view(reinterpret_cast<const char*>(data), size));
  check_structured(data, size);
  return 0;
}
