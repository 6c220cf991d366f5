#include "collectors/inventory/sbom_format.h"

#include <fstream>

namespace patchparty::inventory {

std::string sbom_kind_of_text(std::string_view head) {
  return head.find("\"spdxVersion\"") != std::string_view::npos ? "spdx" : "cyclonedx";
}

std::string sbom_kind(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return sbom_kind_of_text(head);
}

}  // namespace patchparty::inventory
