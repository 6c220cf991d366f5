#include "core/suppress/suppressions_yaml.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>

#include "core/base/yaml_reader.h"
#include "core/suppress/timestamp.h"

namespace patchparty::suppress {

namespace {

constexpr std::array<std::string_view, 4> kStatuses = {"not_affected", "affected", "fixed",
                                                       "under_investigation"};
constexpr std::array<std::string_view, 5> kJustifications = {
    "component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
    "vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist"};

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

void read_rule(config::YamlReader& r, const YAML::Node& item, const std::string& path,
               std::string_view file, std::vector<Rule>& out) {
  if (!r.expect_map(item, path,
                    {"id", "package", "project", "version", "reason", "expires", "vex_status",
                     "vex_justification"}))
    return;
  const std::size_t errors_before = r.errors().size();
  Rule rule;
  r.read(item, path, "id", rule.id);
  r.read(item, path, "package", rule.package);
  r.read(item, path, "project", rule.project);
  r.read(item, path, "version", rule.version);
  r.read(item, path, "reason", rule.reason);
  std::string expires;
  r.read(item, path, "expires", expires);
  r.read_enum(item, path, "vex_status", rule.vex_status,
              {"not_affected", "affected", "fixed", "under_investigation"});
  r.read_enum(
      item, path, "vex_justification", rule.vex_justification,
      {"component_not_present", "vulnerable_code_not_present",
       "vulnerable_code_not_in_execute_path", "vulnerable_code_cannot_be_controlled_by_adversary",
       "inline_mitigations_already_exist"});

  if (blank(rule.id)) r.error(item, config::YamlReader::join(path, "id"), "required");
  // The reason is what the party reads instead of the finding; a rule without one is a finding
  // hidden for nobody knows what.
  if (blank(rule.reason)) r.error(item, config::YamlReader::join(path, "reason"), "required");
  if (!expires.empty()) {
    if (auto t = parse_expiry(expires)) {
      rule.expires = *t;
    } else {
      r.error(item["expires"], config::YamlReader::join(path, "expires"),
              "expected a date (2027-01-31) or an RFC 3339 time (2027-01-31T18:00:00Z), got '" +
                  expires + "'");
    }
  }
  if (!rule.vex_justification.empty() && rule.vex_status != "not_affected")
    r.error(item["vex_justification"], config::YamlReader::join(path, "vex_justification"),
            "only valid with vex_status: not_affected");
  if (r.errors().size() != errors_before) return;
  const YAML::Mark m = item.Mark();
  rule.where = std::string(file) + ":" + std::to_string(m.is_null() ? 0 : m.line + 1);
  out.push_back(std::move(rule));
}

}  // namespace

bool is_vex_status(std::string_view s) {
  return std::find(kStatuses.begin(), kStatuses.end(), s) != kStatuses.end();
}

bool is_vex_justification(std::string_view s) {
  return std::find(kJustifications.begin(), kJustifications.end(), s) != kJustifications.end();
}

Result<std::vector<Rule>> parse_suppressions_yaml(std::string_view yaml, std::string_view file) {
  config::YamlReader r{std::string(file)};
  std::vector<Rule> rules;
  // yaml-cpp reports syntax and conversion problems by throwing; they stop here and become one
  // more error line, so no exception leaves the module.
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    if (!root.IsDefined() || root.IsNull()) {
      r.error_at(0, 0, "(top level): empty file: expected 'suppressions:' with a list of rules");
    } else if (r.expect_map(root, "", {"suppressions"})) {
      const YAML::Node list = root["suppressions"];
      if (!list.IsDefined()) {
        r.error(root, "suppressions", "required");
      } else if (!list.IsNull() && r.expect_list(list, "suppressions")) {
        for (std::size_t i = 0; i < list.size(); ++i)
          read_rule(r, list[i], "suppressions[" + std::to_string(i) + "]", file, rules);
      }
    }
  } catch (const YAML::ParserException& e) {
    r.error_at(e.mark.line, e.mark.column, "YAML syntax: " + e.msg);
  } catch (const YAML::Exception& e) {
    r.error_at(e.mark.line, e.mark.column, e.msg);
  }
  if (!r.errors().empty()) {
    std::string message;
    for (const auto& e : r.errors()) message += (message.empty() ? "" : "\n") + e;
    return fail(Errc::invalid_argument, std::move(message));
  }
  return rules;
}

}  // namespace patchparty::suppress
