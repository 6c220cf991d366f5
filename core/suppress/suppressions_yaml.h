// The suppressions file (config/suppressions.example.yml documents it): rules an operator writes
// to accept a finding, each with a reason and optionally an expiry.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace patchparty::suppress {

// `project` value that limits a rule to host packages (findings without a project). Parentheses
// cannot occur in a project name, so it can never name a real project.
inline constexpr std::string_view kHostOnly = "(host)";

struct Rule {
  std::string id;       // vulnerability id or any alias of it
  std::string package;  // "" = any; else the package's name or source name
  std::string project;  // "" = any; kHostOnly = host packages only; else that project's
  std::string version;  // "" = any; else the exact installed version
  std::string reason;   // never empty
  std::optional<std::int64_t> expires;  // unix seconds; live while now < expires
  std::string vex_status, vex_justification;
  std::string where;  // "file:line", for the finding's "suppressed by"
};

// Every problem is reported, one per line, as "file:line:col: key.path: message", in one
// invalid_argument error. Unknown keys, a missing id or reason, a bad date and OpenVEX words
// outside the vocabulary are errors; so is an empty document, which more likely is a truncated
// deploy than an intent to suppress nothing (write `suppressions: []` for that).
[[nodiscard]] Result<std::vector<Rule>> parse_suppressions_yaml(std::string_view yaml,
                                                                std::string_view file);

// OpenVEX vocabularies (spec v0.2.0).
bool is_vex_status(std::string_view s);
bool is_vex_justification(std::string_view s);

}  // namespace patchparty::suppress
