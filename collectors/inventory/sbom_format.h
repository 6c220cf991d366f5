// Which reader an SBOM file needs, told by its content: a configured `projects[].sbom` names
// files, and teams name them freely (bom.json, sbom.spdx.json, app.cdx.json).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace patchparty::inventory {

// "spdx" when the document's first 64 KiB hold the key "spdxVersion", else "cyclonedx" (whose
// reader then names what is wrong with a file that is neither). A file that cannot be read is
// "cyclonedx" too, and that reader reports it.
std::string sbom_kind(const std::filesystem::path& file);
std::string sbom_kind_of_text(std::string_view head);

}  // namespace patchparty::inventory
