// Suppressions: the operator's YAML rules and OpenVEX statements, matched against findings.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/model/finding.h"
#include "core/suppress/openvex.h"
#include "core/suppress/suppressions_yaml.h"

namespace patchparty::suppress {

// A VEX statement that matches a finding but does not suppress it (affected,
// under_investigation): shown beside the finding so the supplier's word is not lost.
struct VexNote {
  std::string rule;    // statement @id or "file:statements[i]"
  std::string status;  // affected | under_investigation
  std::string text;    // action_statement, else status_notes, else impact_statement
};

class Suppressions {
 public:
  // Rules and statements are kept in the order given; files later in the config come later.
  void add_rules(std::vector<Rule> rules);
  void add_statements(std::vector<VexStatement> statements);

  // The rule that covers the finding, matched by its vulnerability id or any alias.
  // - A YAML rule matches when its id, and each of package, project and version it sets, fit.
  // - VEX statements are read as the spec intends, as a history: of those naming the finding's
  //   vulnerability and package, the latest (by timestamp, then by position) is the current
  //   word, and it suppresses only if it says not_affected or fixed. An older not_affected is
  //   overridden by a newer affected.
  // Preference: a live rule over an expired one; among live rules the first YAML rule, then
  // the current VEX statement; among expired ones the one that expired last, so the finding
  // says when cover ended. An expired rule comes back with expired = true.
  std::optional<SuppressionMatch> match(const Finding& finding, std::int64_t now) const;

  // The current VEX statement for the finding when it does not suppress it.
  std::optional<VexNote> note(const Finding& finding) const;

  std::size_t rule_count() const { return rules_.size(); }
  std::size_t statement_count() const { return statements_.size(); }

 private:
  const VexStatement* current_statement(const Finding& finding) const;

  std::vector<Rule> rules_;
  std::vector<VexStatement> statements_;
};

// Reads each file with a size cap and parses it as OpenVEX (*.json, or content starting with
// '{') or as the YAML suppressions file (*.yml, *.yaml, anything else). Any problem, a missing
// or oversized file included, is an invalid_argument error naming the file: the daemon refuses
// a bad suppressions file rather than run with findings silently un-suppressed.
inline constexpr std::size_t kMaxSuppressionFileBytes = 16u << 20;
[[nodiscard]] Result<Suppressions> load_suppressions(std::span<const std::filesystem::path> files);

}  // namespace patchparty::suppress
