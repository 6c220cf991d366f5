// libFuzzer entry for parse_nvd_page: any bytes. Besides "no crash", it checks what the parser
// promises its callers: only the documented error codes, CVE ids, scores in [0, 10] that agree
// with their vectors, the three versions, counts that paging can trust; and, from the first
// bytes, that nvd_windows covers its range in spans NVD accepts.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "collectors/feeds/kev.h"
#include "collectors/feeds/nvd_cve.h"
#include "core/record/cvss.h"

namespace {

using namespace patchparty;
using namespace patchparty::feeds;

void check(bool ok) {
  if (!ok) std::abort();
}

int version_rank(std::string_view v) {
  return v == "3.1" ? 0 : v == "3.0" ? 1 : v == "2.0" ? 2 : -1;
}

void check_metric(const NvdCvss& m) {
  check(version_rank(m.version) >= 0);
  check(m.type == "Primary" || m.type == "Secondary");
  check(m.base_score >= 0.0 && m.base_score <= 10.0);
  auto computed = cvss_base_score(m.vector);
  check(computed.has_value() && std::fabs(*computed - m.base_score) <= 0.05);
  check(m.version == "2.0" ? m.vector.starts_with("AV:")
                           : m.vector.starts_with("CVSS:" + m.version + "/"));
}

void check_page(const NvdPage& p) {
  check(p.results_per_page >= 0 && p.start_index >= 0 && p.total_results >= 0);
  const auto entries = static_cast<std::int64_t>(p.cves.size()) + p.skipped;
  check(p.skipped >= 0 && entries <= p.results_per_page);
  check(entries == 0 || entries <= p.total_results - p.start_index);
  check(p.skip_reasons.size() ==
        std::min<std::size_t>(static_cast<std::size_t>(p.skipped), kMaxNvdSkipReasons));
  check(p.timestamp.size() >= 19);
  for (const NvdCve& c : p.cves) {
    check(is_cve_id(c.id));
    check(c.last_modified.size() >= 19);
    int last_rank = 0;
    for (const NvdCvss& m : c.metrics) {
      check_metric(m);
      check(version_rank(m.version) >= last_rank);  // newest first, as documented
      last_rank = version_rank(m.version);
    }
    auto preferred = preferred_score(c);
    auto distinct = distinct_scores(c);
    check(preferred.has_value() == !c.metrics.empty());
    check(distinct.empty() == c.metrics.empty());
    if (!preferred) continue;
    check(preferred->version == c.metrics.front().version);
    check(distinct.front().source == preferred->source &&
          distinct.front().vector == preferred->vector);
    for (std::size_t i = 1; i < distinct.size(); ++i) {
      check(distinct[i].source != preferred->source);
      check(std::fabs(distinct[i].base_score - preferred->base_score) > 0.05);
    }
  }
  const std::int64_t next = next_start_index(p);
  check(next == -1 || (next > p.start_index && next < p.total_results));
}

void check_windows(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return;
  std::uint32_t a = 0, b = 0;
  std::memcpy(&a, data, 4);
  std::memcpy(&b, data + 4, 4);
  // Up to some 4 years past a 32-bit start: enough windows to matter, few enough to be quick.
  const std::int64_t from = a;
  const std::int64_t to = from + static_cast<std::int64_t>(b % (1500 * 86400u)) - 86400;
  auto windows = nvd_windows(from, to);
  if (from > to) {
    check(windows.empty());
    return;
  }
  check(!windows.empty() && windows.front().start_unix == from && windows.back().end_unix == to);
  for (std::size_t i = 0; i < windows.size(); ++i) {
    const NvdWindow& w = windows[i];
    check(w.start_unix <= w.end_unix && w.end_unix - w.start_unix <= kMaxNvdWindowSeconds);
    if (i > 0) check(w.start_unix == windows[i - 1].end_unix && w.start_unix < w.end_unix);
  }
  check(nvd_page_query(windows.front(), 0, 2000).starts_with("lastModStartDate="));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  auto page = parse_nvd_page(json, "fuzz");
  if (!page) {
    const Errc code = page.error().code;
    check(code == Errc::data_loss || code == Errc::invalid_argument ||
          code == Errc::failed_precondition);
  } else {
    check_page(*page);
  }
  check_windows(data, size);
  return 0;
}
