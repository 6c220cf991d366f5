#include "core/store/finding_tables.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <set>
#include <tuple>

namespace patchparty::store {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void field(Writer& w, const char* k, std::string_view v) {
  w.Key(k);
  w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
}

void strings(Writer& w, const char* k, const std::vector<std::string>& values) {
  w.Key(k);
  w.StartArray();
  for (const auto& v : values) w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  w.EndArray();
}

void optional_double(Writer& w, const char* k, const std::optional<double>& v) {
  if (!v) return;
  w.Key(k);
  w.Double(*v);
}

std::string text(const rapidjson::Value& o, const char* k) {
  auto it = o.FindMember(k);
  return it != o.MemberEnd() && it->value.IsString()
             ? std::string(it->value.GetString(), it->value.GetStringLength())
             : std::string();
}

std::vector<std::string> texts(const rapidjson::Value& o, const char* k) {
  std::vector<std::string> out;
  auto it = o.FindMember(k);
  if (it == o.MemberEnd() || !it->value.IsArray()) return out;
  for (const auto& v : it->value.GetArray())
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  return out;
}

std::optional<double> number(const rapidjson::Value& o, const char* k) {
  auto it = o.FindMember(k);
  if (it == o.MemberEnd() || !it->value.IsNumber()) return std::nullopt;
  return it->value.GetDouble();
}

bool flag(const rapidjson::Value& o, const char* k) {
  auto it = o.FindMember(k);
  return it != o.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

using Key = std::tuple<std::string, std::string, std::string, std::string, std::string>;

Key key_of(const Finding& f) {
  return {f.project, f.package.ecosystem, f.package.name, f.package.location, f.vulnerability};
}

// Parameters 1-6 of the lookup and the insert: what makes a finding the same finding.
Result<> bind_identity(Statement& st, std::string_view host, const Finding& f) {
  PP_CHECK(st.bind_text(1, host));
  PP_CHECK(st.bind_text(2, f.project));
  PP_CHECK(st.bind_text(3, f.package.ecosystem));
  PP_CHECK(st.bind_text(4, f.package.name));
  PP_CHECK(st.bind_text(5, f.package.location));
  return st.bind_text(6, f.vulnerability);
}

}  // namespace

std::string finding_to_json(const Finding& f) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  field(w, "host", f.host);
  field(w, "project", f.project);
  w.Key("package");
  w.StartObject();
  const Package& p = f.package;
  field(w, "ecosystem", p.ecosystem);
  field(w, "name", p.name);
  field(w, "version", p.version);
  field(w, "source_name", p.source_name);
  field(w, "source_version", p.source_version);
  field(w, "arch", p.arch);
  field(w, "origin", p.origin);
  field(w, "location", p.location);
  w.Key("dev");
  w.Bool(p.dev);
  w.Key("optional");
  w.Bool(p.optional);
  field(w, "supplier", p.supplier);
  w.Key("third_party");
  w.Bool(p.third_party);
  field(w, "supplier_newest", p.supplier_newest);
  field(w, "module_stream", p.module_stream);
  w.EndObject();
  field(w, "vulnerability", f.vulnerability);
  strings(w, "aliases", f.aliases);
  strings(w, "advisories", f.advisories);
  strings(w, "feeds", f.feeds);
  field(w, "fixed_version", f.fixed_version);
  field(w, "fix_status", fix_status_name(f.fix_status));
  field(w, "severity", severity_name(f.severity));
  optional_double(w, "cvss", f.cvss);
  field(w, "cvss_vector", f.cvss_vector);
  // Only when set: the detail of a finding scored by its own records stays as it was.
  if (!f.cvss_source.empty()) field(w, "cvss_source", f.cvss_source);
  optional_double(w, "epss", f.epss);
  optional_double(w, "epss_percentile", f.epss_percentile);
  w.Key("kev");
  w.Bool(f.kev);
  w.Key("kev_ransomware");
  w.Bool(f.kev_ransomware);
  field(w, "kev_due_date", f.kev_due_date);
  w.Key("risk");
  w.Double(f.risk);
  field(w, "summary", f.summary);
  strings(w, "references", f.references);
  if (f.suppression) {
    const SuppressionMatch& s = *f.suppression;
    w.Key("suppression");
    w.StartObject();
    field(w, "rule", s.rule);
    field(w, "reason", s.reason);
    field(w, "vex_status", s.vex_status);
    field(w, "vex_justification", s.vex_justification);
    if (s.expires) {
      w.Key("expires");
      w.Int64(*s.expires);
    }
    w.Key("expired");
    w.Bool(s.expired);
    w.EndObject();
  }
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

Result<Finding> finding_from_json(std::string_view json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject())
    return fail(Errc::data_loss, "stored finding is not a JSON object");
  Finding f;
  f.host = text(d, "host");
  f.project = text(d, "project");
  if (auto p = d.FindMember("package"); p != d.MemberEnd() && p->value.IsObject()) {
    const auto& o = p->value;
    f.package = Package{text(o, "ecosystem"),      text(o, "name"),
                        text(o, "version"),        text(o, "source_name"),
                        text(o, "source_version"), text(o, "arch"),
                        text(o, "origin"),         f.project,
                        text(o, "location"),       flag(o, "dev"),
                        flag(o, "optional"),       text(o, "supplier"),
                        flag(o, "third_party"),    text(o, "supplier_newest"),
                        text(o, "module_stream")};
  }
  f.vulnerability = text(d, "vulnerability");
  if (f.vulnerability.empty()) return fail(Errc::data_loss, "stored finding has no vulnerability");
  f.aliases = texts(d, "aliases");
  f.advisories = texts(d, "advisories");
  f.feeds = texts(d, "feeds");
  f.fixed_version = text(d, "fixed_version");
  f.fix_status = fix_status_from_name(text(d, "fix_status")).value_or(FixStatus::unfixed);
  f.severity = parse_severity_name(text(d, "severity")).value_or(SeverityLevel::unknown);
  f.cvss = number(d, "cvss");
  f.cvss_vector = text(d, "cvss_vector");
  f.cvss_source = text(d, "cvss_source");
  f.epss = number(d, "epss");
  f.epss_percentile = number(d, "epss_percentile");
  f.kev = flag(d, "kev");
  f.kev_ransomware = flag(d, "kev_ransomware");
  f.kev_due_date = text(d, "kev_due_date");
  f.risk = number(d, "risk").value_or(0);
  f.summary = text(d, "summary");
  f.references = texts(d, "references");
  if (auto s = d.FindMember("suppression"); s != d.MemberEnd() && s->value.IsObject()) {
    const auto& o = s->value;
    SuppressionMatch m{text(o, "rule"),       text(o, "reason"),
                       text(o, "vex_status"), text(o, "vex_justification"),
                       std::nullopt,          flag(o, "expired")};
    if (auto e = o.FindMember("expires"); e != o.MemberEnd() && e->value.IsInt64())
      m.expires = e->value.GetInt64();
    f.suppression = std::move(m);
  }
  return f;
}

Result<ScanSummary> record_scan(Database& db, std::string_view host, std::vector<Finding>& findings,
                                std::int64_t now, std::int64_t packages, double duration_seconds) {
  PP_TRY(tx, Transaction::begin(db));
  ScanSummary summary;
  PP_TRY(lookup, db.prepare("SELECT id, first_seen, resolved_at FROM findings WHERE host = ?1 AND "
                            "project = ?2 AND ecosystem = ?3 AND package = ?4 AND location = ?5 "
                            "AND vulnerability = ?6"));
  PP_TRY(insert,
         db.prepare("INSERT INTO findings (host, project, ecosystem, package, location, "
                    "vulnerability, version, severity, risk, first_seen, last_seen, detail) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)"));
  PP_TRY(update, db.prepare("UPDATE findings SET version = ?2, severity = ?3, risk = ?4, "
                            "last_seen = ?5, resolved_at = NULL, detail = ?6 WHERE id = ?1"));
  std::set<Key> seen;
  std::set<std::int64_t> seen_ids;
  for (Finding& f : findings) {
    if (!seen.insert(key_of(f)).second) {
      return fail(Errc::invalid_argument, "scan lists " + f.vulnerability + " for " +
                                              f.package.name + " twice at one location");
    }
    f.host = std::string(host);
    f.last_seen = now;
    f.resolved_at.reset();
    PP_CHECK(bind_identity(lookup, host, f));
    PP_TRY(found, lookup.step());
    std::optional<std::int64_t> id;
    bool was_resolved = false;
    if (found) {
      id = lookup.column_int64(0);
      f.first_seen = lookup.column_int64(1);
      was_resolved = !lookup.column_is_null(2);
    }
    lookup.reset();
    if (!id) f.first_seen = now;
    const std::string detail = finding_to_json(f);
    if (id) {
      PP_CHECK(update.bind_int64(1, *id));
      PP_CHECK(update.bind_text(2, f.package.version));
      PP_CHECK(update.bind_text(3, severity_name(f.severity)));
      PP_CHECK(update.bind_double(4, f.risk));
      PP_CHECK(update.bind_int64(5, now));
      PP_CHECK(update.bind_text(6, detail));
      PP_CHECK(update.run());
      update.reset();
      seen_ids.insert(*id);
      if (was_resolved) ++summary.opened;
    } else {
      PP_CHECK(bind_identity(insert, host, f));
      PP_CHECK(insert.bind_text(7, f.package.version));
      PP_CHECK(insert.bind_text(8, severity_name(f.severity)));
      PP_CHECK(insert.bind_double(9, f.risk));
      PP_CHECK(insert.bind_int64(10, now));
      PP_CHECK(insert.bind_text(11, detail));
      PP_CHECK(insert.run());
      insert.reset();
      seen_ids.insert(db.last_insert_rowid());
      ++summary.opened;
    }
  }
  // Whatever stayed open but was not seen now has been fixed (or removed) since the last scan.
  PP_TRY(open, db.prepare("SELECT id FROM findings WHERE host = ?1 AND resolved_at IS NULL"));
  PP_CHECK(open.bind_text(1, host));
  std::vector<std::int64_t> gone;
  for (;;) {
    PP_TRY(row, open.step());
    if (!row) break;
    if (!seen_ids.contains(open.column_int64(0))) gone.push_back(open.column_int64(0));
  }
  PP_TRY(resolve, db.prepare("UPDATE findings SET resolved_at = ?2 WHERE id = ?1"));
  for (std::int64_t id : gone) {
    PP_CHECK(resolve.bind_int64(1, id));
    PP_CHECK(resolve.bind_int64(2, now));
    PP_CHECK(resolve.run());
    resolve.reset();
  }
  summary.resolved = static_cast<std::int64_t>(gone.size());
  summary.findings = static_cast<std::int64_t>(findings.size());
  PP_TRY(scan, db.prepare("INSERT INTO scans (finished_at, packages, findings, opened, resolved, "
                          "duration_seconds) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  PP_CHECK(scan.bind_int64(1, now));
  PP_CHECK(scan.bind_int64(2, packages));
  PP_CHECK(scan.bind_int64(3, summary.findings));
  PP_CHECK(scan.bind_int64(4, summary.opened));
  PP_CHECK(scan.bind_int64(5, summary.resolved));
  PP_CHECK(scan.bind_double(6, duration_seconds));
  PP_CHECK(scan.run());
  PP_CHECK(tx.commit());
  return summary;
}

Result<std::vector<Finding>> load_findings(Database& db, const FindingQuery& q) {
  std::string sql = "SELECT detail, first_seen, last_seen, resolved_at FROM findings WHERE 1";
  if (!q.host.empty()) sql += " AND host = ?1";
  if (!q.include_resolved) sql += " AND resolved_at IS NULL";
  sql += " ORDER BY host, project, ecosystem, package, location, vulnerability";
  PP_TRY(st, db.prepare(sql));
  if (!q.host.empty()) PP_CHECK(st.bind_text(1, q.host));
  std::vector<Finding> out;
  for (;;) {
    PP_TRY(row, st.step());
    if (!row) break;
    PP_TRY(f, finding_from_json(st.column_text(0)));
    f.first_seen = st.column_int64(1);
    f.last_seen = st.column_int64(2);
    if (!st.column_is_null(3)) f.resolved_at = st.column_int64(3);
    out.push_back(std::move(f));
  }
  return out;
}

Result<std::optional<std::int64_t>> last_scan_at(Database& db) {
  PP_TRY(st, db.prepare("SELECT max(finished_at) FROM scans"));
  PP_TRY(row, st.step());
  if (!row || st.column_is_null(0)) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(st.column_int64(0));
}

Result<> record_party_export(Database& db, std::int64_t party_at, std::int64_t written_at,
                             std::string_view directory) {
  PP_TRY(st, db.prepare("INSERT OR REPLACE INTO party_exports (party_at, written_at, directory) "
                        "VALUES (?1, ?2, ?3)"));
  PP_CHECK(st.bind_int64(1, party_at));
  PP_CHECK(st.bind_int64(2, written_at));
  PP_CHECK(st.bind_text(3, directory));
  return st.run();
}

Result<bool> party_exported(Database& db, std::int64_t party_at) {
  PP_TRY(st, db.prepare("SELECT 1 FROM party_exports WHERE party_at = ?1"));
  PP_CHECK(st.bind_int64(1, party_at));
  return st.step();
}

}  // namespace patchparty::store
