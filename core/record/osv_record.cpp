#include "core/record/osv_record.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <string>

#include "core/record/cvss.h"
#include "core/record/osv_writer.h"

namespace patchparty::feeds {

namespace {

using rapidjson::Value;

class RecordReader {
 public:
  explicit RecordReader(std::string id) : id_(std::move(id)) {}

  tl::unexpected<Error> bad(std::string_view path, std::string_view what) const {
    return fail(Errc::invalid_argument, "osv " + (id_.empty() ? std::string("record") : id_) +
                                            ": " + std::string(path) + ": " + std::string(what));
  }

  // A string member, "" when absent; an error when present with another type.
  Result<std::string> str(const Value& obj, const char* key, std::string_view path) const {
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd() || it->value.IsNull()) return std::string();
    if (!it->value.IsString()) return bad(std::string(path) + "." + key, "expected a string");
    return std::string(it->value.GetString(), it->value.GetStringLength());
  }

  Result<std::vector<std::string>> strings(const Value& obj, const char* key,
                                           std::string_view path) const {
    std::vector<std::string> out;
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd() || it->value.IsNull()) return out;
    if (!it->value.IsArray()) return bad(std::string(path) + "." + key, "expected a list");
    for (const auto& v : it->value.GetArray()) {
      if (!v.IsString()) return bad(std::string(path) + "." + key, "expected strings");
      out.emplace_back(v.GetString(), v.GetStringLength());
    }
    return out;
  }

  const std::string& id() const { return id_; }

 private:
  std::string id_;
};

Result<Range> parse_range(const RecordReader& r, const Value& v, const std::string& path) {
  if (!v.IsObject()) return r.bad(path, "expected an object");
  PP_TRY(type, r.str(v, "type", path));
  Range range;
  if (type == "ECOSYSTEM") {
    range.type = Range::Type::ecosystem;
  } else if (type == "SEMVER") {
    range.type = Range::Type::semver;
  } else if (type == "GIT") {
    range.type = Range::Type::git;
    PP_TRY(repo, r.str(v, "repo", path));
    if (repo.empty()) return r.bad(path, "a GIT range needs a repo");
  } else {
    return r.bad(path + ".type", "unknown range type '" + type + "'");
  }
  auto events = v.FindMember("events");
  if (events == v.MemberEnd() || !events->value.IsArray() || events->value.Empty())
    return r.bad(path + ".events", "expected a non-empty list");
  bool introduced = false;
  for (rapidjson::SizeType i = 0; i < events->value.Size(); ++i) {
    const Value& e = events->value[i];
    std::string epath = path + ".events[" + std::to_string(i) + "]";
    if (!e.IsObject() || e.MemberCount() != 1)
      return r.bad(epath, "an event has exactly one of introduced, fixed, last_affected, limit");
    const auto& m = *e.MemberBegin();
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    if (!m.value.IsString() || m.value.GetStringLength() == 0)
      return r.bad(epath, "event version must be a non-empty string");
    RangeEvent ev;
    ev.version.assign(m.value.GetString(), m.value.GetStringLength());
    if (key == "introduced") {
      ev.kind = RangeEvent::Kind::introduced;
      introduced = true;
    } else if (key == "fixed") {
      ev.kind = RangeEvent::Kind::fixed;
    } else if (key == "last_affected") {
      ev.kind = RangeEvent::Kind::last_affected;
    } else if (key == "limit") {
      ev.kind = RangeEvent::Kind::limit;
    } else {
      return r.bad(epath, "unknown event '" + std::string(key) + "'");
    }
    range.events.push_back(std::move(ev));
  }
  // The schema requires an introduced event: without one the range's start is unknown, and
  // guessing "0" could turn a partial record into false findings.
  if (!introduced) return r.bad(path + ".events", "no 'introduced' event");
  return range;
}

Result<Affected> parse_affected(const RecordReader& r, const Value& v, const std::string& path) {
  if (!v.IsObject()) return r.bad(path, "expected an object");
  Affected a;
  auto pkg = v.FindMember("package");
  if (pkg != v.MemberEnd() && pkg->value.IsObject()) {
    PP_TRY(eco, r.str(pkg->value, "ecosystem", path + ".package"));
    PP_TRY(name, r.str(pkg->value, "name", path + ".package"));
    a.ecosystem = std::move(eco);
    a.name = std::move(name);
  } else if (pkg != v.MemberEnd() && !pkg->value.IsNull()) {
    return r.bad(path + ".package", "expected an object");
  }
  auto ranges = v.FindMember("ranges");
  if (ranges != v.MemberEnd() && !ranges->value.IsNull()) {
    if (!ranges->value.IsArray()) return r.bad(path + ".ranges", "expected a list");
    for (rapidjson::SizeType i = 0; i < ranges->value.Size(); ++i) {
      PP_TRY(range, parse_range(r, ranges->value[i], path + ".ranges[" + std::to_string(i) + "]"));
      a.ranges.push_back(std::move(range));
    }
  }
  PP_TRY(versions, r.strings(v, "versions", path));
  a.versions = std::move(versions);
  bool has_fix = false;
  for (const auto& range : a.ranges) {
    for (const auto& e : range.events) has_fix = has_fix || e.kind == RangeEvent::Kind::fixed;
  }
  a.fix_status = has_fix ? FixStatus::fixed : FixStatus::unfixed;
  // Our own extensions, present in records the store wrote (see osv_writer.h).
  if (auto db = v.FindMember("database_specific"); db != v.MemberEnd() && db->value.IsObject()) {
    if (auto pp = db->value.FindMember("patchparty");
        pp != db->value.MemberEnd() && pp->value.IsObject()) {
      PP_TRY(status, r.str(pp->value, "fix_status", path + ".database_specific.patchparty"));
      if (!status.empty()) {
        auto parsed = fix_status_from_name(status);
        if (!parsed) return r.bad(path + ".database_specific.patchparty", "unknown fix_status");
        a.fix_status = *parsed;
      }
      PP_TRY(native, r.strings(pp->value, "native_ranges", path + ".database_specific.patchparty"));
      a.native_ranges = std::move(native);
    }
  }
  return a;
}

Result<std::vector<Severity>> parse_severity(const RecordReader& r, const Value& v,
                                             const std::string& path) {
  std::vector<Severity> out;
  if (v.IsNull()) return out;
  if (!v.IsArray()) return r.bad(path, "expected a list");
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    std::string p = path + "[" + std::to_string(i) + "]";
    if (!v[i].IsObject()) return r.bad(p, "expected an object");
    PP_TRY(type, r.str(v[i], "type", p));
    PP_TRY(score, r.str(v[i], "score", p));
    Severity s{type, score, std::nullopt};
    // A vector we cannot score is kept as published; the score just stays unknown.
    if (auto base = cvss_base_score(score)) s.base_score = *base;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

Result<Advisory> parse_osv_record(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseStopWhenDoneFlag>(json.data(), json.size());
  if (doc.HasParseError())
    return fail(Errc::data_loss, "osv record: invalid JSON at byte " +
                                     std::to_string(doc.GetErrorOffset()) + ": " +
                                     rapidjson::GetParseError_En(doc.GetParseError()));
  // Lookups go through a const reference: rapidjson 1.1's non-const member iterators compare
  // ambiguously under C++20.
  const Value& root = doc;
  if (!root.IsObject()) return fail(Errc::invalid_argument, "osv record: expected a JSON object");

  RecordReader pre{""};
  PP_TRY(id, pre.str(root, "id", ""));
  if (id.empty()) return fail(Errc::invalid_argument, "osv record: no id");
  RecordReader r{id};
  Advisory a;
  a.id = id;
  PP_TRY(modified, r.str(root, "modified", ""));
  if (modified.empty()) return r.bad("modified", "required");
  a.modified = std::move(modified);
  PP_TRY(published, r.str(root, "published", ""));
  a.published = std::move(published);
  PP_TRY(withdrawn, r.str(root, "withdrawn", ""));
  if (!withdrawn.empty()) a.withdrawn = std::move(withdrawn);
  PP_TRY(summary, r.str(root, "summary", ""));
  a.summary = std::move(summary);
  PP_TRY(details, r.str(root, "details", ""));
  a.details = std::move(details);
  PP_TRY(aliases, r.strings(root, "aliases", ""));
  a.aliases = std::move(aliases);
  PP_TRY(related, r.strings(root, "related", ""));
  a.related = std::move(related);
  PP_TRY(upstream, r.strings(root, "upstream", ""));
  a.upstream = std::move(upstream);
  if (auto sev = root.FindMember("severity"); sev != root.MemberEnd()) {
    PP_TRY(severity, parse_severity(r, sev->value, "severity"));
    a.severity = std::move(severity);
  }
  // GitHub's label ("HIGH") for records without a vector, as Grype and osv-scanner read it.
  if (auto db = root.FindMember("database_specific");
      db != root.MemberEnd() && db->value.IsObject()) {
    auto label = db->value.FindMember("severity");
    if (label != db->value.MemberEnd() && label->value.IsString())
      a.severity.push_back(Severity{"label", label->value.GetString(), std::nullopt});
    if (auto pp = db->value.FindMember("patchparty");
        pp != db->value.MemberEnd() && pp->value.IsObject()) {
      PP_TRY(feed, r.str(pp->value, "feed", "database_specific.patchparty"));
      a.feed = std::move(feed);
    }
  }
  if (auto affected = root.FindMember("affected"); affected != root.MemberEnd()) {
    if (!affected->value.IsArray()) return r.bad("affected", "expected a list");
    for (rapidjson::SizeType i = 0; i < affected->value.Size(); ++i) {
      const Value& item = affected->value[i];
      PP_TRY(af, parse_affected(r, item, "affected[" + std::to_string(i) + "]"));
      // Per-package severity (OSV 1.6+) applies to this package only; keep the first vector.
      if (item.IsObject()) {
        if (auto ps = item.FindMember("severity"); ps != item.MemberEnd()) {
          PP_TRY(psev,
                 parse_severity(r, ps->value, "affected[" + std::to_string(i) + "].severity"));
          if (a.severity.empty()) a.severity = std::move(psev);
        }
        // Debian/Ubuntu/Alpine records carry an urgency or priority word here.
        if (auto es = item.FindMember("ecosystem_specific");
            es != item.MemberEnd() && es->value.IsObject()) {
          auto urgency = es->value.FindMember("urgency");
          bool have = false;
          for (const auto& s : a.severity) have = have || s.type == "urgency";
          if (!have && urgency != es->value.MemberEnd() && urgency->value.IsString())
            a.severity.push_back(Severity{"urgency", urgency->value.GetString(), std::nullopt});
        }
      }
      a.affected.push_back(std::move(af));
    }
  }
  if (auto refs = root.FindMember("references");
      refs != root.MemberEnd() && refs->value.IsArray()) {
    for (const auto& ref : refs->value.GetArray()) {
      if (!ref.IsObject()) continue;
      PP_TRY(type, r.str(ref, "type", "references"));
      PP_TRY(url, r.str(ref, "url", "references"));
      a.references.push_back(Reference{std::move(type), std::move(url)});
    }
  }
  if (a.feed.empty()) a.feed = "osv";
  return a;
}

}  // namespace patchparty::feeds
