#include "core/record/osv_writer.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace patchparty::feeds {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void key(Writer& w, std::string_view k) {
  w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
}
void str(Writer& w, std::string_view v) {
  w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
}
void field(Writer& w, std::string_view k, std::string_view v) {
  if (v.empty()) return;
  key(w, k);
  str(w, v);
}
void strings(Writer& w, std::string_view k, const std::vector<std::string>& values) {
  if (values.empty()) return;
  key(w, k);
  w.StartArray();
  for (const auto& v : values) str(w, v);
  w.EndArray();
}

std::string_view range_type(Range::Type t) {
  switch (t) {
    case Range::Type::semver:
      return "SEMVER";
    case Range::Type::git:
      return "GIT";
    case Range::Type::ecosystem:
      return "ECOSYSTEM";
  }
  return "ECOSYSTEM";
}

std::string_view event_name(RangeEvent::Kind k) {
  switch (k) {
    case RangeEvent::Kind::introduced:
      return "introduced";
    case RangeEvent::Kind::fixed:
      return "fixed";
    case RangeEvent::Kind::last_affected:
      return "last_affected";
    case RangeEvent::Kind::limit:
      return "limit";
  }
  return "introduced";
}

}  // namespace

std::string to_osv_json(const Advisory& a) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  field(w, "id", a.id);
  field(w, "modified", a.modified.empty() ? "1970-01-01T00:00:00Z" : a.modified);
  field(w, "published", a.published);
  if (a.withdrawn) field(w, "withdrawn", *a.withdrawn);
  strings(w, "aliases", a.aliases);
  strings(w, "related", a.related);
  strings(w, "upstream", a.upstream);
  field(w, "summary", a.summary);
  field(w, "details", a.details);
  // Vectors go in OSV's severity list; labels and urgencies, which OSV keeps elsewhere, go back
  // where parse_osv_record looks for them.
  std::vector<const Severity*> vectors, others;
  for (const auto& s : a.severity) (s.type.starts_with("CVSS_") ? vectors : others).push_back(&s);
  if (!vectors.empty()) {
    key(w, "severity");
    w.StartArray();
    for (const auto* s : vectors) {
      w.StartObject();
      field(w, "type", s->type);
      field(w, "score", s->score);
      w.EndObject();
    }
    w.EndArray();
  }
  if (!a.affected.empty()) {
    key(w, "affected");
    w.StartArray();
    for (const auto& af : a.affected) {
      w.StartObject();
      key(w, "package");
      w.StartObject();
      field(w, "ecosystem", af.ecosystem);
      field(w, "name", af.name);
      w.EndObject();
      if (!af.ranges.empty()) {
        key(w, "ranges");
        w.StartArray();
        for (const auto& r : af.ranges) {
          w.StartObject();
          field(w, "type", range_type(r.type));
          if (r.type == Range::Type::git) field(w, "repo", "unknown");
          key(w, "events");
          w.StartArray();
          for (const auto& e : r.events) {
            w.StartObject();
            field(w, event_name(e.kind), e.version);
            w.EndObject();
          }
          w.EndArray();
          w.EndObject();
        }
        w.EndArray();
      }
      strings(w, "versions", af.versions);
      for (const auto* s : others) {
        if (s->type != "urgency") continue;
        key(w, "ecosystem_specific");
        w.StartObject();
        field(w, "urgency", s->score);
        w.EndObject();
        break;
      }
      key(w, "database_specific");
      w.StartObject();
      key(w, "patchparty");
      w.StartObject();
      field(w, "fix_status", fix_status_name(af.fix_status));
      strings(w, "native_ranges", af.native_ranges);
      w.EndObject();
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
  }
  if (!a.references.empty()) {
    key(w, "references");
    w.StartArray();
    for (const auto& r : a.references) {
      w.StartObject();
      field(w, "type", r.type.empty() ? "WEB" : r.type);
      field(w, "url", r.url);
      w.EndObject();
    }
    w.EndArray();
  }
  key(w, "database_specific");
  w.StartObject();
  for (const auto* s : others) {
    if (s->type == "label") field(w, "severity", s->score);
  }
  key(w, "patchparty");
  w.StartObject();
  field(w, "feed", a.feed);
  w.EndObject();
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace patchparty::feeds
