#include "core/model/finding.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace patchparty {

namespace {

constexpr std::array<std::string_view, 5> kSeverityNames{"unknown", "low", "medium", "high",
                                                         "critical"};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string_view severity_name(SeverityLevel s) {
  return kSeverityNames[static_cast<std::size_t>(s)];
}

std::optional<SeverityLevel> parse_severity_name(std::string_view name) {
  for (std::size_t i = 0; i < kSeverityNames.size(); ++i) {
    if (kSeverityNames[i] == name) return static_cast<SeverityLevel>(i);
  }
  return std::nullopt;
}

SeverityLevel severity_from_cvss(double base_score) {
  if (base_score >= 9.0) return SeverityLevel::critical;
  if (base_score >= 7.0) return SeverityLevel::high;
  if (base_score >= 4.0) return SeverityLevel::medium;
  if (base_score > 0.0) return SeverityLevel::low;
  return SeverityLevel::unknown;
}

SeverityLevel severity_from_label(std::string_view label) {
  const std::string l = lower(label);
  // Debian marks "(unimportant)" etc. with a trailing "*" when the urgency is a guess.
  std::string_view word = l;
  while (!word.empty() && (word.back() == '*' || word.back() == ' ')) word.remove_suffix(1);
  if (word == "critical") return SeverityLevel::critical;
  if (word == "high" || word == "important") return SeverityLevel::high;
  if (word == "medium" || word == "moderate") return SeverityLevel::medium;
  if (word == "low" || word == "negligible" || word == "unimportant") return SeverityLevel::low;
  return SeverityLevel::unknown;
}

std::string_view fix_status_name(FixStatus s) {
  switch (s) {
    case FixStatus::fixed:
      return "fixed";
    case FixStatus::unfixed:
      return "unfixed";
    case FixStatus::undetermined:
      return "undetermined";
    case FixStatus::no_dsa:
      return "no-dsa";
    case FixStatus::postponed:
      return "postponed";
    case FixStatus::ignored:
      return "ignored";
    case FixStatus::end_of_life:
      return "end-of-life";
    case FixStatus::wont_fix:
      return "wont-fix";
  }
  return "unfixed";
}

std::optional<FixStatus> fix_status_from_name(std::string_view name) {
  for (auto s :
       {FixStatus::fixed, FixStatus::unfixed, FixStatus::undetermined, FixStatus::no_dsa,
        FixStatus::postponed, FixStatus::ignored, FixStatus::end_of_life, FixStatus::wont_fix}) {
    if (fix_status_name(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view finding_origin(const Finding& f) {
  if (!f.project.empty()) return "";
  return f.package.third_party ? "third-party" : "distribution";
}

std::string third_party_note(const Finding& f) {
  if (!f.package.third_party) return {};
  const Package& p = f.package;
  std::string note =
      p.name + " " + p.version + " comes from " + p.supplier + ", not from the distribution";
  if (!f.fixed_version.empty()) {
    note += ": the distribution's fix " + f.fixed_version + " is for its own build";
  }
  note += "; check " + p.supplier + "'s advisories";
  if (!p.supplier_newest.empty() && p.supplier_newest != p.version) {
    note += " (" + p.supplier + " offers " + p.supplier_newest + ")";
  }
  return note;
}

}  // namespace patchparty
