// NVD's CVE data on disk, for hosts that cannot reach the API: files in the API's own JSON form
// (format NVD_CVE, version 2.0), such as NVD's yearly nvdcve-2.0-YYYY.json.gz downloads or saved
// API pages, plain or gzip-compressed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include "collectors/feeds/nvd_cve.h"
#include "core/base/result.h"

namespace patchparty::feeds {

// The files a folder holds that read_nvd_file reads (*.json, *.json.gz), in name order, so that
// NVD's nvdcve-2.0-modified.json.gz comes after the years it updates. Subfolders are not read.
// not_found when there is none: an empty folder is a mistake, not a world without CVEs.
[[nodiscard]] Result<std::vector<std::filesystem::path>> nvd_files_in(
    const std::filesystem::path& folder);

// One file, gunzipped when it starts with gzip's magic, at most `max_bytes` of JSON (after
// decompression; resource_exhausted beyond), parsed with parse_nvd_page and labelled with the
// path.
[[nodiscard]] Result<NvdPage> read_nvd_file(const std::filesystem::path& file,
                                            std::uint64_t max_bytes);

}  // namespace patchparty::feeds
