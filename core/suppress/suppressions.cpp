#include "core/suppress/suppressions.h"

#include <cctype>

#include "core/base/bounded_file.h"

namespace patchparty::suppress {

namespace {

// Ids are matched without regard to case: "cve-2023-1234" in a hand-written file means the CVE.
bool same_id(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

bool names_finding(std::string_view id, const Finding& f) {
  if (same_id(id, f.vulnerability)) return true;
  for (const auto& alias : f.aliases)
    if (same_id(id, alias)) return true;
  return false;
}

bool rule_fits(const Rule& r, const Finding& f) {
  if (!names_finding(r.id, f)) return false;
  if (!r.package.empty() && r.package != f.package.name && r.package != f.package.source_name)
    return false;
  if (r.project == kHostOnly) {
    if (!f.project.empty()) return false;
  } else if (!r.project.empty() && r.project != f.project) {
    return false;
  }
  return r.version.empty() || r.version == f.package.version;
}

bool statement_fits(const VexStatement& s, const Finding& f) {
  bool named = names_finding(s.vulnerability, f);
  for (std::size_t i = 0; !named && i < s.aliases.size(); ++i)
    named = names_finding(s.aliases[i], f);
  if (!named) return false;
  for (const auto& purl : s.products)
    if (purl_matches(purl, f.package)) return true;
  return false;
}

bool live(const Rule& r, std::int64_t now) {
  return !r.expires || now < *r.expires;
}

SuppressionMatch from_rule(const Rule& r, bool expired) {
  SuppressionMatch m;
  m.rule = r.where;
  m.reason = r.reason;
  m.vex_status = r.vex_status;
  m.vex_justification = r.vex_justification;
  m.expires = r.expires;
  m.expired = expired;
  return m;
}

SuppressionMatch from_statement(const VexStatement& s) {
  SuppressionMatch m;
  m.rule = s.where;
  if (!s.impact_statement.empty()) {
    m.reason = s.impact_statement;
  } else if (!s.status_notes.empty()) {
    m.reason = s.status_notes;
  } else {
    m.reason = "VEX " + s.status + (s.justification.empty() ? "" : ": " + s.justification);
  }
  m.vex_status = s.status;
  m.vex_justification = s.justification;
  return m;
}

bool has_extension(const std::filesystem::path& p, std::initializer_list<std::string_view> exts) {
  std::string ext = p.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto e : exts)
    if (ext == e) return true;
  return false;
}

bool starts_like_json(std::string_view text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{';
  }
  return false;
}

}  // namespace

void Suppressions::add_rules(std::vector<Rule> rules) {
  for (auto& r : rules) rules_.push_back(std::move(r));
}

void Suppressions::add_statements(std::vector<VexStatement> statements) {
  for (auto& s : statements) statements_.push_back(std::move(s));
}

const VexStatement* Suppressions::current_statement(const Finding& finding) const {
  const VexStatement* current = nullptr;
  for (const auto& s : statements_) {
    // ">=": at equal timestamps the later statement is the later word.
    if (statement_fits(s, finding) && (!current || s.timestamp >= current->timestamp)) current = &s;
  }
  return current;
}

std::optional<SuppressionMatch> Suppressions::match(const Finding& finding,
                                                    std::int64_t now) const {
  const Rule* expired = nullptr;
  for (const auto& r : rules_) {
    if (!rule_fits(r, finding)) continue;
    if (live(r, now)) return from_rule(r, false);
    if (!expired || *r.expires > *expired->expires) expired = &r;
  }
  if (const VexStatement* s = current_statement(finding); s && s->suppresses())
    return from_statement(*s);
  if (expired) return from_rule(*expired, true);
  return std::nullopt;
}

std::optional<VexNote> Suppressions::note(const Finding& finding) const {
  const VexStatement* s = current_statement(finding);
  if (!s || s->suppresses()) return std::nullopt;
  VexNote n;
  n.rule = s->where;
  n.status = s->status;
  n.text = !s->action_statement.empty() ? s->action_statement
           : !s->status_notes.empty()   ? s->status_notes
                                        : s->impact_statement;
  return n;
}

Result<Suppressions> load_suppressions(std::span<const std::filesystem::path> files) {
  Suppressions out;
  for (const auto& file : files) {
    auto text = read_bounded_file(file, kMaxSuppressionFileBytes);
    // Whatever went wrong, the file is unusable as configured: refuse it the same way.
    if (!text) return fail(Errc::invalid_argument, "suppressions: " + text.error().message);
    const bool vex = has_extension(file, {".json"}) ||
                     (!has_extension(file, {".yml", ".yaml"}) && starts_like_json(*text));
    if (vex) {
      PP_TRY(statements, parse_openvex(*text, file.string()));
      out.add_statements(std::move(statements));
    } else {
      PP_TRY(rules, parse_suppressions_yaml(*text, file.string()));
      out.add_rules(std::move(rules));
    }
  }
  return out;
}

}  // namespace patchparty::suppress
