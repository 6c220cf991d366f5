#include "collectors/feeds/kev.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <string>

#include "core/base/bounded_file.h"
#include "core/base/error_context.h"

namespace patchparty::feeds {

namespace {

using rapidjson::Value;

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// YYYY-MM-DD with a plausible month and day; the catalogue's due dates drive SLAs.
bool is_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!is_digits(s.substr(0, 4)) || !is_digits(s.substr(5, 2)) || !is_digits(s.substr(8, 2)))
    return false;
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

class EntryReader {
 public:
  explicit EntryReader(std::size_t index)
      : where_("kev: vulnerabilities[" + std::to_string(index) + "]") {}

  void name(std::string_view cve) { where_ += " (" + std::string(cve) + ")"; }

  tl::unexpected<Error> bad(std::string_view what) const {
    return fail(Errc::invalid_argument, where_ + ": " + std::string(what));
  }

  // Required string members; optional ones may be absent or null but not of another type.
  Result<std::string> str(const Value& obj, const char* key, bool required) const {
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd() || it->value.IsNull()) {
      if (required) return bad(std::string("missing ") + key);
      return std::string();
    }
    if (!it->value.IsString()) return bad(std::string(key) + ": expected a string");
    return std::string(it->value.GetString(), it->value.GetStringLength());
  }

 private:
  std::string where_;
};

Result<KevEntry> parse_entry(const Value& v, std::size_t index) {
  EntryReader r(index);
  if (!v.IsObject()) return r.bad("expected an object");
  PP_TRY(cve, r.str(v, "cveID", true));
  r.name(cve.substr(0, 40));
  if (!is_cve_id(cve)) return r.bad("cveID is not a CVE id");
  KevEntry e;
  e.cve = std::move(cve);
  PP_TRY(vendor, r.str(v, "vendorProject", true));
  PP_TRY(product, r.str(v, "product", true));
  PP_TRY(name, r.str(v, "vulnerabilityName", true));
  PP_TRY(added, r.str(v, "dateAdded", true));
  PP_TRY(due, r.str(v, "dueDate", true));
  PP_TRY(action, r.str(v, "requiredAction", true));
  PP_TRY(ransomware, r.str(v, "knownRansomwareCampaignUse", false));
  // Read only to hold the entry to the schema; the model keeps no description or notes.
  PP_CHECK(r.str(v, "shortDescription", true));
  PP_CHECK(r.str(v, "notes", false));
  if (!is_date(added)) return r.bad("dateAdded is not YYYY-MM-DD");
  if (!is_date(due)) return r.bad("dueDate is not YYYY-MM-DD");
  if (auto cwes = v.FindMember("cwes"); cwes != v.MemberEnd() && !cwes->value.IsNull()) {
    if (!cwes->value.IsArray()) return r.bad("cwes: expected a list");
    for (const auto& c : cwes->value.GetArray())
      if (!c.IsString()) return r.bad("cwes: expected strings");
  }
  e.vendor = std::move(vendor);
  e.product = std::move(product);
  e.name = std::move(name);
  e.date_added = std::move(added);
  e.due_date = std::move(due);
  e.required_action = std::move(action);
  e.known_ransomware = ransomware == "Known";
  return e;
}

}  // namespace

bool is_cve_id(std::string_view s) {
  if (s.size() < 13 || s.substr(0, 4) != "CVE-" || s[8] != '-') return false;
  std::string_view number = s.substr(9);
  return is_digits(s.substr(4, 4)) && number.size() >= 4 && number.size() <= 19 &&
         is_digits(number);
}

Result<KevCatalog> parse_kev(std::string_view json, const KevSink& sink) {
  rapidjson::Document doc;
  // Iterative parsing: nesting depth in untrusted input must not become stack depth.
  doc.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (doc.HasParseError())
    return fail(Errc::data_loss, std::string("kev: invalid JSON at byte ") +
                                     std::to_string(doc.GetErrorOffset()) + ": " +
                                     rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsObject()) return fail(Errc::invalid_argument, "kev: expected a JSON object");
  const Value& root = doc;  // const iterators compare unambiguously under C++20 rewriting rules
  KevCatalog catalog;
  auto string_member = [&](const char* key, std::string& out) -> Result<> {
    auto it = root.FindMember(key);
    if (it == root.MemberEnd()) return {};
    if (!it->value.IsString())
      return fail(Errc::invalid_argument, std::string("kev: ") + key + ": expected a string");
    out.assign(it->value.GetString(), it->value.GetStringLength());
    return {};
  };
  PP_CHECK(string_member("catalogVersion", catalog.catalog_version));
  PP_CHECK(string_member("dateReleased", catalog.date_released));
  auto count = root.FindMember("count");
  if (count == root.MemberEnd() || !count->value.IsUint64())
    return fail(Errc::invalid_argument, "kev: \"count\" must be a non-negative integer");
  auto list = root.FindMember("vulnerabilities");
  if (list == root.MemberEnd() || !list->value.IsArray())
    return fail(Errc::invalid_argument, "kev: \"vulnerabilities\" must be a list");
  const std::uint64_t stated = count->value.GetUint64();
  // Checked before any entry reaches the sink: a catalogue cut at an entry boundary and
  // re-closed is still valid JSON, and only the count gives it away.
  if (stated != list->value.Size())
    return fail(Errc::data_loss, "kev: catalogue states " + std::to_string(stated) +
                                     " entries but holds " + std::to_string(list->value.Size()));
  std::size_t index = 0;
  for (const auto& v : list->value.GetArray()) {
    PP_TRY(entry, parse_entry(v, index++));
    if (entry.known_ransomware) ++catalog.known_ransomware;
    PP_CHECK(sink(std::move(entry)));
    ++catalog.count;
  }
  return catalog;
}

Result<KevCatalog> read_kev(const std::filesystem::path& path, const KevSink& sink) {
  PP_TRY(text, with_context(read_bounded_file(path, kMaxKevBytes), path.string()));
  return with_context(parse_kev(text, sink), path.string());
}

namespace {

Result<ReadStats> read_feed(const FetchResult& f, const config::FeedConfig&,
                            const FeedSinks& sinks) {
  PP_TRY(catalog, read_kev(f.path, sinks.kev));
  return ReadStats{catalog.count, 0, {}};
}

}  // namespace

FeedKind kev_feed_kind() {
  return FeedKind{.name = "kev", .check = nullptr, .read = read_feed, .make = nullptr};
}

}  // namespace patchparty::feeds
