#include "collectors/feeds/nvd_cve.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "collectors/feeds/kev.h"
#include "core/base/bounded_file.h"
#include "core/base/error_context.h"
#include "core/record/cvss.h"

namespace patchparty::feeds {

namespace {

using rapidjson::Value;

// NVD rounds to one decimal; anything further apart is a different score, not rounding.
constexpr double kScoreTolerance = 0.05;
constexpr std::size_t kMaxVectorChars = 256;

struct MetricArray {
  const char* key;
  std::string_view version;
};

// Newest first: the order NvdCve::metrics keeps and preferred_score ranks by.
constexpr MetricArray kMetricArrays[] = {
    {"cvssMetricV31", "3.1"},
    {"cvssMetricV30", "3.0"},
    {"cvssMetricV2", "2.0"},
};

bool two_digits(std::string_view s, std::size_t at, int max, int& out) {
  char a = s[at], b = s[at + 1];
  if (a < '0' || a > '9' || b < '0' || b > '9') return false;
  out = (a - '0') * 10 + (b - '0');
  return out <= max;
}

// "YYYY-MM-DDTHH:MM:SS" at the start; NVD follows it with milliseconds and, in lastModified,
// no zone, so only the prefix is held to a shape.
bool is_date_time(std::string_view s) {
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
    return false;
  for (std::size_t i = 0; i < 4; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
  return two_digits(s, 5, 12, month) && month >= 1 && two_digits(s, 8, 31, day) && day >= 1 &&
         two_digits(s, 11, 23, hour) && two_digits(s, 14, 59, minute) &&
         two_digits(s, 17, 60, second);
}

std::string_view view(const Value& v) {
  return std::string_view(v.GetString(), v.GetStringLength());
}

// Why one CVE is left out; the message names the entry and, where known, the CVE.
class CveReader {
 public:
  explicit CveReader(std::size_t index)
      : where_("vulnerabilities[" + std::to_string(index) + "]") {}

  void name(std::string_view id) { where_ += " (" + std::string(id.substr(0, 40)) + ")"; }

  tl::unexpected<Error> bad(std::string_view what) const {
    return fail(Errc::invalid_argument, where_ + ": " + std::string(what));
  }

  // A member that must be a string when present; absent or null reads as empty unless required.
  Result<std::string> str(const Value& obj, const char* key, bool required,
                          std::string_view context = {}) const {
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd() || it->value.IsNull()) {
      if (required) return bad(std::string(context) + "missing " + key);
      return std::string();
    }
    if (!it->value.IsString()) return bad(std::string(context) + key + ": expected a string");
    return std::string(view(it->value));
  }

 private:
  std::string where_;
};

Result<NvdCvss> parse_metric(const CveReader& r, const Value& m, const MetricArray& array,
                             std::size_t index) {
  const std::string ctx = std::string(array.key) + "[" + std::to_string(index) + "]: ";
  if (!m.IsObject()) return r.bad(ctx + "expected an object");
  NvdCvss out;
  out.version = std::string(array.version);
  PP_TRY(source, r.str(m, "source", true, ctx));
  PP_TRY(type, r.str(m, "type", true, ctx));
  if (type != "Primary" && type != "Secondary")
    return r.bad(ctx + "type is neither Primary nor Secondary");
  auto data = m.FindMember("cvssData");
  if (data == m.MemberEnd() || !data->value.IsObject())
    return r.bad(ctx + "cvssData: expected an object");
  const Value& d = data->value;
  PP_TRY(version, r.str(d, "version", true, ctx + "cvssData."));
  if (version != array.version)
    return r.bad(ctx + "cvssData.version " + version.substr(0, 10) + " in the v" +
                 std::string(array.version) + " list");
  PP_TRY(vector, r.str(d, "vectorString", true, ctx + "cvssData."));
  auto score = d.FindMember("baseScore");
  if (score == d.MemberEnd() || !score->value.IsNumber())
    return r.bad(ctx + "cvssData.baseScore: expected a number");
  const double base = score->value.GetDouble();
  if (!(base >= 0.0 && base <= 10.0)) return r.bad(ctx + "baseScore outside [0, 10]");
  // The longest real vector, every v3.1 environmental metric set, is some 150 characters; the
  // cap keeps a hostile one out of skip reasons, which quote it.
  if (vector.size() > kMaxVectorChars)
    return r.bad(ctx + "vectorString longer than " + std::to_string(kMaxVectorChars) +
                 " characters");
  // v3 keeps its severity inside cvssData, v2 beside it.
  PP_TRY(severity, array.version == "2.0" ? r.str(m, "baseSeverity", false, ctx)
                                          : r.str(d, "baseSeverity", false, ctx + "cvssData."));
  // cvss_base_score reads any version from the prefix; the prefix must be this array's, or a
  // v3.0 vector filed as v3.1 would be scored by the wrong rounding and pass.
  const bool prefix_ok = array.version == "2.0"
                             ? vector.starts_with("AV:")
                             : vector.starts_with("CVSS:" + std::string(array.version) + "/");
  if (!prefix_ok)
    return r.bad(ctx + "vector '" + vector.substr(0, 80) + "' is not a v" +
                 std::string(array.version) + " vector");
  auto computed = cvss_base_score(vector);
  if (!computed) return r.bad(ctx + computed.error().message);
  if (std::fabs(*computed - base) > kScoreTolerance) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "baseScore %.1f disagrees with the vector's %.1f", base,
                  *computed);
    return r.bad(ctx + buf);
  }
  out.source = std::move(source);
  out.type = std::move(type);
  out.base_score = base;
  out.vector = std::move(vector);
  out.severity = std::move(severity);
  return out;
}

Result<NvdCve> parse_cve(const Value& entry, std::size_t index) {
  CveReader r(index);
  if (!entry.IsObject()) return r.bad("expected an object");
  auto cve_it = entry.FindMember("cve");
  if (cve_it == entry.MemberEnd() || !cve_it->value.IsObject())
    return r.bad("cve: expected an object");
  const Value& cve = cve_it->value;
  PP_TRY(id, r.str(cve, "id", true));
  r.name(id);
  if (!is_cve_id(id)) return r.bad("id is not a CVE id");
  PP_TRY(last_modified, r.str(cve, "lastModified", true));
  if (!is_date_time(last_modified)) return r.bad("lastModified is not a date-time");
  PP_TRY(status, r.str(cve, "vulnStatus", false));
  NvdCve out;
  out.id = std::move(id);
  out.last_modified = std::move(last_modified);
  out.status = std::move(status);
  auto metrics = cve.FindMember("metrics");
  if (metrics == cve.MemberEnd() || metrics->value.IsNull()) return out;
  if (!metrics->value.IsObject()) return r.bad("metrics: expected an object");
  for (const MetricArray& array : kMetricArrays) {
    auto list = metrics->value.FindMember(array.key);
    if (list == metrics->value.MemberEnd() || list->value.IsNull()) continue;
    if (!list->value.IsArray()) return r.bad(std::string(array.key) + ": expected a list");
    std::size_t i = 0;
    for (const auto& m : list->value.GetArray()) {
      PP_TRY(metric, parse_metric(r, m, array, i++));
      out.metrics.push_back(std::move(metric));
    }
  }
  return out;
}

// A required non-negative integer member of the page.
Result<std::int64_t> count_member(const Value& root, const char* key, std::string_view label) {
  auto it = root.FindMember(key);
  if (it == root.MemberEnd() || !it->value.IsInt64() || it->value.GetInt64() < 0)
    return fail(Errc::invalid_argument,
                std::string(label) + ": \"" + key + "\" must be a non-negative integer");
  return it->value.GetInt64();
}

Result<std::string> string_member(const Value& root, const char* key, std::string_view label) {
  auto it = root.FindMember(key);
  if (it == root.MemberEnd() || !it->value.IsString())
    return fail(Errc::invalid_argument, std::string(label) + ": \"" + key + "\" must be a string");
  return std::string(view(it->value));
}

int version_rank(std::string_view v) {
  for (std::size_t i = 0; i < std::size(kMetricArrays); ++i)
    if (kMetricArrays[i].version == v) return static_cast<int>(i);
  return static_cast<int>(std::size(kMetricArrays));
}

// Index into `metrics` of the best metric among those `keep` accepts: newest version, then
// Primary, then first in order; npos when none.
template <class Keep>
std::size_t best_metric(const std::vector<NvdCvss>& metrics, Keep keep) {
  std::size_t best = std::string::npos;
  auto rank = [&](const NvdCvss& m) {
    return std::pair(version_rank(m.version), m.type == "Primary" ? 0 : 1);
  };
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    if (!keep(metrics[i])) continue;
    if (best == std::string::npos || rank(metrics[i]) < rank(metrics[best])) best = i;
  }
  return best;
}

std::string format_utc(std::int64_t unix) {
  using namespace std::chrono;
  const sys_seconds tp{seconds(unix)};
  const sys_days day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  char buf[64];
  // "+00:00" rather than "Z": the offset NVD's documentation and example spell out, with its
  // "+" percent-encoded as NVD asks.
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.000%%2B00:00",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace

Result<NvdPage> parse_nvd_page(std::string_view json, std::string_view label_in) {
  const std::string label = label_in.empty() ? std::string("nvd") : std::string(label_in);
  rapidjson::Document doc;
  // Iterative parsing: nesting depth in untrusted input must not become stack depth. Encoding
  // is validated so that every string handed on is UTF-8.
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(json.data(),
                                                                                    json.size());
  if (doc.HasParseError())
    return fail(Errc::data_loss, label + ": invalid JSON at byte " +
                                     std::to_string(doc.GetErrorOffset()) + ": " +
                                     rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsObject()) return fail(Errc::invalid_argument, label + ": expected a JSON object");
  const Value& root = doc;  // const iterators compare unambiguously under C++20 rewriting rules
  // Format and version first: another API's answer (a CPE page has no "vulnerabilities") should
  // say so rather than report a missing member.
  PP_TRY(format, string_member(root, "format", label));
  PP_TRY(version, string_member(root, "version", label));
  if (format != "NVD_CVE" || version != "2.0")
    return fail(Errc::failed_precondition, label + ": format '" + format.substr(0, 40) +
                                               "' version '" + version.substr(0, 40) +
                                               "', expected 'NVD_CVE' '2.0'");
  NvdPage page;
  PP_TRY(per_page, count_member(root, "resultsPerPage", label));
  PP_TRY(start, count_member(root, "startIndex", label));
  PP_TRY(total, count_member(root, "totalResults", label));
  PP_TRY(timestamp, string_member(root, "timestamp", label));
  if (!is_date_time(timestamp))
    return fail(Errc::invalid_argument, label + ": \"timestamp\" is not a date-time");
  auto list = root.FindMember("vulnerabilities");
  if (list == root.MemberEnd() || !list->value.IsArray())
    return fail(Errc::invalid_argument, label + ": \"vulnerabilities\" must be a list");
  const auto entries = static_cast<std::int64_t>(list->value.Size());
  // Paging trusts these counts; a page that contradicts them would skip or repeat CVEs.
  if (entries > per_page)
    return fail(Errc::invalid_argument, label + ": " + std::to_string(entries) +
                                            " entries on a page of resultsPerPage " +
                                            std::to_string(per_page));
  if (entries > 0 && (start > total || entries > total - start))
    return fail(Errc::invalid_argument, label + ": " + std::to_string(entries) +
                                            " entries from startIndex " + std::to_string(start) +
                                            " run past totalResults " + std::to_string(total));
  page.results_per_page = per_page;
  page.start_index = start;
  page.total_results = total;
  page.timestamp = std::move(timestamp);
  std::size_t index = 0;
  for (const auto& entry : list->value.GetArray()) {
    auto cve = parse_cve(entry, index++);
    if (cve) {
      page.cves.push_back(std::move(*cve));
      continue;
    }
    ++page.skipped;
    if (page.skip_reasons.size() < kMaxNvdSkipReasons)
      page.skip_reasons.push_back(std::move(cve).error().message);
  }
  return page;
}

Result<NvdPage> read_nvd_page(const std::filesystem::path& path) {
  PP_TRY(text, with_context(read_bounded_file(path, kMaxNvdPageBytes), path.string()));
  return parse_nvd_page(text, path.string());
}

std::optional<NvdCvss> preferred_score(const NvdCve& cve) {
  std::size_t best = best_metric(cve.metrics, [](const NvdCvss&) { return true; });
  if (best == std::string::npos) return std::nullopt;
  return cve.metrics[best];
}

std::vector<NvdCvss> distinct_scores(const NvdCve& cve) {
  auto preferred = preferred_score(cve);
  if (!preferred) return {};
  std::vector<std::size_t> others;
  std::vector<std::string_view> seen{preferred->source};
  for (const NvdCvss& m : cve.metrics) {
    if (std::find(seen.begin(), seen.end(), m.source) != seen.end()) continue;
    seen.push_back(m.source);
    std::size_t best =
        best_metric(cve.metrics, [&](const NvdCvss& x) { return x.source == m.source; });
    if (std::fabs(cve.metrics[best].base_score - preferred->base_score) > kScoreTolerance)
      others.push_back(best);
  }
  std::sort(others.begin(), others.end());
  std::vector<NvdCvss> out{std::move(*preferred)};
  for (std::size_t i : others) out.push_back(cve.metrics[i]);
  return out;
}

std::vector<NvdWindow> nvd_windows(std::int64_t from_unix, std::int64_t to_unix) {
  std::vector<NvdWindow> out;
  if (from_unix > to_unix) return out;
  std::int64_t start = from_unix;
  for (;;) {
    // Unsigned: to - start cannot overflow for any pair with start <= to.
    const std::uint64_t left =
        static_cast<std::uint64_t>(to_unix) - static_cast<std::uint64_t>(start);
    const std::int64_t end = left > static_cast<std::uint64_t>(kMaxNvdWindowSeconds)
                                 ? start + kMaxNvdWindowSeconds
                                 : to_unix;
    out.push_back({start, end});
    if (end == to_unix) break;
    start = end;
  }
  return out;
}

std::string nvd_page_query(const NvdWindow& window, std::int64_t start_index,
                           int results_per_page) {
  return "lastModStartDate=" + format_utc(window.start_unix) +
         "&lastModEndDate=" + format_utc(window.end_unix) +
         "&startIndex=" + std::to_string(std::max<std::int64_t>(start_index, 0)) +
         "&resultsPerPage=" +
         std::to_string(std::clamp(results_per_page, 1, kMaxNvdResultsPerPage));
}

std::int64_t next_start_index(const NvdPage& page) {
  const auto read = static_cast<std::int64_t>(page.cves.size()) + page.skipped;
  if (read == 0) return -1;
  const std::int64_t next = page.start_index + read;
  return next >= page.total_results ? -1 : next;
}

}  // namespace patchparty::feeds
