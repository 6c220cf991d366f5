// libFuzzer entry for the NDB reader (SUSE's Packages.db): any bytes as the file, each blob then
// parsed as a header, as RpmDb::scan does. A failure must be data_loss or failed_precondition.
//
// A second view frames the input in a well-formed file (slots, blob heads and tails, checksums)
// whose blobs are cut from the input: random bytes almost never carry a valid Adler-32, so
// without it the path past the checksum would be reached only by the real files' blobs. Of
// that view the reader may reject nothing but the blobs' content.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "collectors/inventory/rpm_db.h"
#include "collectors/inventory/rpmdb_ndb.h"

namespace {

using patchparty::Errc;

void put32(std::string& out, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>(v >> (8 * i));
}

std::uint32_t adler32(std::string_view bytes) {
  std::uint32_t a = 1, b = 0;
  for (unsigned char c : bytes) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  return (b << 16) | a;
}

patchparty::Result<> read(std::string_view file) {
  return patchparty::inventory::read_ndb_packages(
      file, [](std::uint32_t, std::string_view blob) -> patchparty::Result<> {
        auto header = patchparty::inventory::parse_rpm_header(blob);
        if (!header && header.error().code != Errc::data_loss) std::abort();
        return {};
      });
}

void check_framed(const std::uint8_t* data, std::size_t size) {
  if (size < 2 || size > 65536) return;
  const std::size_t blobs = data[0] % 4 + 1;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string file(4096, '\0');
  put32(file, 0, 0x506d7052);  // "RpmP"
  put32(file, 8, 1);           // generation
  put32(file, 12, 1);          // one slot page
  put32(file, 16, static_cast<std::uint32_t>(blobs + 1));
  for (std::size_t slot = 2; slot < 4096 / 16; ++slot) put32(file, slot * 16, 0x746f6c53);
  const std::size_t part = rest.size() / blobs;
  for (std::size_t i = 0; i < blobs; ++i) {
    const std::string_view blob =
        rest.substr(i * part, i + 1 == blobs ? std::string_view::npos : part);
    const std::size_t blocks = (16 + blob.size() + 12 + 15) / 16;
    const std::size_t start = file.size();
    file.resize(start + blocks * 16, '\0');
    put32(file, start, 0x53626c42);  // "BlbS"
    put32(file, start + 4, static_cast<std::uint32_t>(i + 1));
    put32(file, start + 8, 1);
    put32(file, start + 12, static_cast<std::uint32_t>(blob.size()));
    std::copy(blob.begin(), blob.end(), file.begin() + static_cast<std::ptrdiff_t>(start + 16));
    const std::size_t tail = start + blocks * 16 - 12;
    put32(file, tail, adler32(std::string_view(file).substr(start, tail - start)));
    put32(file, tail + 4, static_cast<std::uint32_t>(blob.size()));
    put32(file, tail + 8, 0x45626c42);  // "BlbE"
    const std::size_t slot = (2 + i) * 16;
    put32(file, slot + 4, static_cast<std::uint32_t>(i + 1));
    put32(file, slot + 8, static_cast<std::uint32_t>(start / 16));
    put32(file, slot + 12, static_cast<std::uint32_t>(blocks));
  }
  if (!read(file)) std::abort();  // the visitor never fails, the framing is valid
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto r = read(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!r && r.error().code != Errc::data_loss && r.error().code != Errc::failed_precondition)
    std::abort();
  check_framed(data, size);
  return 0;
}
