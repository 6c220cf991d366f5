#include "core/suppress/openvex.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <optional>

#include "core/suppress/suppressions_yaml.h"
#include "core/suppress/timestamp.h"

namespace patchparty::suppress {

namespace {

using rapidjson::Value;

// Collects problems so one run reports all of them; each carries the file and a member path.
class Problems {
 public:
  explicit Problems(std::string_view file) : file_(file) {}
  void add(std::string_view path, std::string_view message) {
    lines_.push_back(file_ + ": " + std::string(path) + ": " + std::string(message));
  }
  bool empty() const { return lines_.empty(); }
  std::size_t size() const { return lines_.size(); }
  std::string joined() const {
    std::string out;
    for (const auto& l : lines_) out += (out.empty() ? "" : "\n") + l;
    return out;
  }

 private:
  std::string file_;
  std::vector<std::string> lines_;
};

std::string join(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return std::string(path) + "." + std::string(key);
}

// An optional string member: absent or null leaves `out` empty; another type is a problem.
bool string_member(const Value& obj, const char* key, std::string_view path, Problems& p,
                   std::string& out) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return false;
  if (!it->value.IsString()) {
    p.add(join(path, key), "expected a string");
    return false;
  }
  out.assign(it->value.GetString(), it->value.GetStringLength());
  return true;
}

std::optional<std::int64_t> time_member(const Value& obj, const char* key, std::string_view path,
                                        Problems& p) {
  std::string text;
  if (!string_member(obj, key, path, p, text)) return std::nullopt;
  auto t = parse_rfc3339(text);
  if (!t) p.add(join(path, key), "expected an RFC 3339 time, got '" + text.substr(0, 60) + "'");
  return t;
}

// A product or subcomponent: its @id and identifiers.purl, when they are package URLs.
void collect_purls(const Value& component, std::string_view path, Problems& p,
                   std::vector<Purl>& out) {
  if (component.IsString()) {  // OpenVEX before v0.2.0 listed products as bare strings
    if (auto purl = parse_purl(component.GetString())) out.push_back(std::move(*purl));
    return;
  }
  if (!component.IsObject()) {
    p.add(path, "expected an object");
    return;
  }
  std::string id;
  if (string_member(component, "@id", path, p, id)) {
    if (auto purl = parse_purl(id)) {
      out.push_back(std::move(*purl));
    } else if (id.size() >= 4 && (id.compare(0, 4, "pkg:") == 0)) {
      p.add(join(path, "@id"), "not a valid package URL: '" + id.substr(0, 120) + "'");
    }
  }
  auto ids = component.FindMember("identifiers");
  if (ids != component.MemberEnd() && !ids->value.IsNull()) {
    const std::string ids_path = join(path, "identifiers");
    if (!ids->value.IsObject()) {
      p.add(ids_path, "expected an object");
    } else {
      std::string purl_text;
      if (string_member(ids->value, "purl", ids_path, p, purl_text)) {
        if (auto purl = parse_purl(purl_text)) {
          out.push_back(std::move(*purl));
        } else {
          p.add(join(ids_path, "purl"),
                "not a valid package URL: '" + purl_text.substr(0, 120) + "'");
        }
      }
    }
  }
  auto subs = component.FindMember("subcomponents");
  if (subs != component.MemberEnd() && !subs->value.IsNull()) {
    const std::string subs_path = join(path, "subcomponents");
    if (!subs->value.IsArray()) {
      p.add(subs_path, "expected a list");
      return;
    }
    std::size_t i = 0;
    for (const auto& sub : subs->value.GetArray()) {
      const std::string sub_path = subs_path + "[" + std::to_string(i++) + "]";
      if (sub.IsObject() && sub.HasMember("subcomponents")) {
        p.add(sub_path, "subcomponents do not nest");
        continue;
      }
      collect_purls(sub, sub_path, p, out);
    }
  }
}

void read_statement(const Value& v, std::size_t index, std::string_view file, std::int64_t doc_time,
                    Problems& p, std::vector<VexStatement>& out) {
  const std::string path = "statements[" + std::to_string(index) + "]";
  if (!v.IsObject()) {
    p.add(path, "expected an object");
    return;
  }
  const std::size_t before = p.size();
  VexStatement s;
  string_member(v, "@id", path, p, s.where);
  if (s.where.empty()) s.where = std::string(file) + ":" + path;

  auto vuln = v.FindMember("vulnerability");
  const std::string vuln_path = join(path, "vulnerability");
  if (vuln == v.MemberEnd() || vuln->value.IsNull()) {
    p.add(vuln_path, "required");
  } else if (vuln->value.IsString()) {  // OpenVEX before v0.2.0: a bare id
    s.vulnerability = vuln->value.GetString();
  } else if (!vuln->value.IsObject()) {
    p.add(vuln_path, "expected an object");
  } else {
    string_member(vuln->value, "name", vuln_path, p, s.vulnerability);
    auto aliases = vuln->value.FindMember("aliases");
    if (aliases != vuln->value.MemberEnd() && !aliases->value.IsNull()) {
      if (!aliases->value.IsArray()) {
        p.add(join(vuln_path, "aliases"), "expected a list of strings");
      } else {
        for (const auto& a : aliases->value.GetArray()) {
          if (!a.IsString()) {
            p.add(join(vuln_path, "aliases"), "expected a list of strings");
            break;
          }
          s.aliases.emplace_back(a.GetString(), a.GetStringLength());
        }
      }
    }
  }
  if (s.vulnerability.empty() && vuln != v.MemberEnd() && !vuln->value.IsNull() &&
      (vuln->value.IsObject() || vuln->value.IsString()))
    p.add(join(vuln_path, "name"), "required");

  if (!string_member(v, "status", path, p, s.status)) {
    p.add(join(path, "status"), "required");
  } else if (!is_vex_status(s.status)) {
    p.add(join(path, "status"),
          "'" + s.status.substr(0, 40) +
              "' is not one of not_affected, affected, fixed, under_investigation");
  }
  if (string_member(v, "justification", path, p, s.justification) &&
      !is_vex_justification(s.justification))
    p.add(join(path, "justification"),
          "'" + s.justification.substr(0, 60) + "' is not an OpenVEX justification");
  string_member(v, "impact_statement", path, p, s.impact_statement);
  string_member(v, "action_statement", path, p, s.action_statement);
  string_member(v, "status_notes", path, p, s.status_notes);
  if (!s.justification.empty() && s.status != "not_affected")
    p.add(join(path, "justification"), "only valid with status not_affected");
  if (s.status == "not_affected" && s.justification.empty() && s.impact_statement.empty())
    p.add(path, "not_affected needs a justification or an impact_statement");
  if (s.status == "affected" && s.action_statement.empty())
    p.add(join(path, "action_statement"), "required with status affected");
  s.timestamp = time_member(v, "timestamp", path, p).value_or(doc_time);
  time_member(v, "last_updated", path, p);

  auto products = v.FindMember("products");
  if (products != v.MemberEnd() && !products->value.IsNull()) {
    if (!products->value.IsArray()) {
      p.add(join(path, "products"), "expected a list");
    } else {
      std::size_t i = 0;
      for (const auto& prod : products->value.GetArray())
        collect_purls(prod, join(path, "products") + "[" + std::to_string(i++) + "]", p,
                      s.products);
    }
  }
  if (p.size() != before) return;
  if (s.suppresses() && s.products.empty()) {
    p.add(join(path, "products"),
          "names no package URL (pkg:...), so this " + s.status + " statement matches nothing");
    return;
  }
  out.push_back(std::move(s));
}

}  // namespace

Result<std::vector<VexStatement>> parse_openvex(std::string_view json, std::string_view file) {
  rapidjson::Document doc;
  // Iterative parsing: nesting depth in untrusted input must not become stack depth.
  doc.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (doc.HasParseError())
    return fail(Errc::invalid_argument, std::string(file) + ": invalid JSON at byte " +
                                            std::to_string(doc.GetErrorOffset()) + ": " +
                                            rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsObject())
    return fail(Errc::invalid_argument, std::string(file) + ": expected an object");
  const Value& root = doc;  // const iterators compare unambiguously under C++20 rewriting rules
  Problems p(file);
  std::string context;
  if (!string_member(root, "@context", "", p, context)) {
    p.add("@context", "required");
  } else if (context.rfind("https://openvex.dev/ns", 0) != 0) {
    p.add("@context", "'" + context.substr(0, 80) + "' is not an OpenVEX context");
  }
  std::string scratch;
  for (const char* key : {"@id", "author"})
    if (!string_member(root, key, "", p, scratch)) p.add(key, "required");
  auto version = root.FindMember("version");
  if (version == root.MemberEnd() || !version->value.IsUint64() || version->value.GetUint64() < 1)
    p.add("version", "required, an integer from 1");
  const auto doc_time = time_member(root, "timestamp", "", p);
  if (!root.HasMember("timestamp")) p.add("timestamp", "required");
  time_member(root, "last_updated", "", p);

  std::vector<VexStatement> out;
  auto statements = root.FindMember("statements");
  if (statements == root.MemberEnd() || !statements->value.IsArray()) {
    p.add("statements", "required, a list");
  } else {
    std::size_t i = 0;
    for (const auto& s : statements->value.GetArray())
      read_statement(s, i++, file, doc_time.value_or(0), p, out);
  }
  if (!p.empty()) return fail(Errc::invalid_argument, p.joined());
  return out;
}

}  // namespace patchparty::suppress
