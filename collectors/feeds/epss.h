// FIRST's EPSS scores (https://www.first.org/epss/data_stats) into EpssScore values, from the
// daily CSV as published, plain or gzip-compressed (epss_scores-YYYY-MM-DD.csv.gz). The file is
// read as a stream: memory stays at one line and one decompression buffer, whatever its size.
//
// Two layouts are accepted:
//   official:  "#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000" (optional),
//              then the header "cve,epss,percentile", then "CVE-1999-0001,0.03351,0.88255" rows;
//   mirror:    no comment and no header, ';'-separated rows "CVE-2021-47987;0.001200000;0.02168"
//              (the per-year files of the EMBA EPSS mirror).
// The layout is told by the first line after the optional comment: the header, or a row that
// starts with "CVE-" and holds a ';'. Anything else is a missing header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "collectors/feeds/feed_kind.h"
#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::feeds {

// The full daily file is about 12 MB for some 300k CVEs; a stream past this is not EPSS (or is
// a decompression bomb).
inline constexpr std::uint64_t kMaxEpssBytes = 512ull << 20;
// The longest real row is under 40 bytes; the comment line under 100.
inline constexpr std::size_t kMaxEpssLineBytes = 1024;

struct EpssStats {
  std::uint64_t rows = 0;     // scores handed to the sink
  std::string model_version;  // from the comment line, e.g. "v2025.03.14"; else empty
  std::string score_date;     // YYYY-MM-DD from the comment line; else empty
  std::uint64_t bytes = 0;    // uncompressed bytes read
};

using EpssSink = std::function<Result<>(EpssScore&&)>;

// Errors: data_loss for anything that is not a well-formed EPSS file, naming the line: no header,
// a row without exactly three columns, a malformed CVE id, a number that is not a decimal in
// [0, 1], a line over kMaxEpssLineBytes, or an empty input. Blank lines are ignored, and the last
// row need not end in a newline. A sink error stops the parse and is returned as is.
[[nodiscard]] Result<EpssStats> parse_epss(std::string_view csv, const EpssSink& sink);

// Reads `path`, gunzipping it when it starts with the gzip magic (1f 8b). A truncated or corrupt
// gzip stream is data_loss; more than kMaxEpssBytes of text is resource_exhausted. Errors name
// the file.
[[nodiscard]] Result<EpssStats> read_epss(const std::filesystem::path& path, const EpssSink& sink);

// "epss": FIRST's daily CSV, into the EPSS sink (register_builtin_feeds).
FeedKind epss_feed_kind();

}  // namespace patchparty::feeds
