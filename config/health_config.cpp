#include "config/health_config.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>

#include "config/config.h"
#include "config/kinds.h"
#include "core/base/pattern.h"
#include "core/base/yaml_reader.h"

namespace patchparty::config {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "200", "200-299"; false on anything else or outside 100..599.
bool parse_status(std::string_view text, StatusRange& out) {
  auto number = [](std::string_view s, int& n) {
    s = trim(s);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    return ec == std::errc() && end == s.data() + s.size() && n >= 100 && n <= 599;
  };
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    if (!number(text, out.first)) return false;
    out.last = out.first;
    return true;
  }
  return number(text.substr(0, dash), out.first) && number(text.substr(dash + 1), out.last) &&
         out.first <= out.last;
}

void read_expected_status(YamlReader& r, const YAML::Node& item, const std::string& p,
                          HealthCheckConfig& c) {
  const YAML::Node node = item["expected_status"];
  if (!node.IsDefined() || node.IsNull()) return;
  const std::string path = YamlReader::join(p, "expected_status");
  std::vector<YAML::Node> entries;
  if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) entries.push_back(node[i]);
  } else {
    entries.push_back(node);
  }
  for (const auto& e : entries) {
    StatusRange range;
    if (!e.IsScalar() || !parse_status(e.Scalar(), range)) {
      r.error(e, path, "expected a status (200) or a range (200-299) within 100-599");
      continue;
    }
    c.expected_status.push_back(range);
  }
}

void read_size(YamlReader& r, const YAML::Node& item, const std::string& p, std::string_view key,
               std::int64_t& out, std::int64_t max) {
  const YAML::Node size = item[std::string(key)];
  if (!size.IsDefined() || size.IsNull()) return;
  auto n =
      size.IsScalar() ? parse_size(size.Scalar()) : fail(Errc::invalid_argument, "expected a size");
  if (!n)
    r.error(size, YamlReader::join(p, key), n.error().message);
  else if (*n < 1 || *n > max)
    r.error(size, YamlReader::join(p, key), "must be between 1 and " + std::to_string(max));
  else
    out = *n;
}

// argv of a command: never run by a shell, so the program must be an absolute path.
void read_command(YamlReader& r, const YAML::Node& item, const std::string& p,
                  HealthCheckConfig& c) {
  r.read_strings(item, p, "command", c.command);
  const YAML::Node node = item["command"];
  if (!node.IsDefined() || node.IsNull()) return;
  if (c.command.empty() || c.command.front().empty() || c.command.front().front() != '/')
    r.error(node, YamlReader::join(p, "command"),
            "expected a non-empty argv list whose first word is an absolute program path");
  for (const auto& a : c.command) {
    if (a.find('\0') != std::string::npos)
      r.error(node, YamlReader::join(p, "command"), "arguments cannot contain NUL");
  }
}

void read_check(YamlReader& r, const YAML::Node& item, const std::string& p, HealthCheckConfig& c) {
  r.read(item, p, "name", c.name);
  if (!valid_check_name(c.name))
    r.error(item["name"].IsDefined() ? item["name"] : item, YamlReader::join(p, "name"),
            "required; letters, digits, '-', '_' and '.', starting with a letter or digit, at "
            "most 64");
  r.read_enum(item, p, "kind", c.kind, health_check_kinds().names());
  if (c.kind.empty() && !item["kind"].IsDefined())
    r.error(item, YamlReader::join(p, "kind"), "required");
  r.read(item, p, "interval", c.interval, std::chrono::seconds(1));
  r.read(item, p, "timeout", c.timeout, std::chrono::milliseconds(100));
  if (c.timeout > c.interval && item["timeout"].IsDefined())
    r.error(item["timeout"], YamlReader::join(p, "timeout"),
            "must not exceed the interval (" + format_duration(c.interval) + ")");
  if (item["url"].IsDefined()) {
    r.read_url(item, p, "url", c.url);
    if (!c.url.empty() && !c.url.starts_with("http://") && !c.url.starts_with("https://"))
      r.error(item["url"], YamlReader::join(p, "url"), "must start with http:// or https://");
  }
  read_expected_status(r, item, p, c);
  r.read(item, p, "max_latency", c.max_latency, std::chrono::milliseconds(1));
  r.read(item, p, "body_regex", c.body_regex);
  if (!c.body_regex.empty()) {
    if (auto re = Pattern::compile(c.body_regex); !re)
      r.error(item["body_regex"], YamlReader::join(p, "body_regex"),
              "does not compile: " + re.error().message);
  }
  // The body is held in memory to be matched; the cap bounds that memory.
  read_size(r, item, p, "max_body_bytes", c.max_body_bytes, 1 << 20);
  r.read_path(item, p, "ca_file", c.ca_file);
  r.read_path(item, p, "client_cert", c.client_cert);
  r.read_path(item, p, "client_key", c.client_key);
  if (!c.client_key.empty() && c.client_cert.empty())
    r.error(item["client_key"], YamlReader::join(p, "client_key"), "needs client_cert");
  r.read(item, p, "insecure_skip_verify", c.insecure_skip_verify);
  r.read(item, p, "unit", c.unit);
  r.read_enum(item, p, "bus", c.bus, {"system", "user"});
  r.read_strings(item, p, "expected_states", c.expected_states);
  r.read(item, p, "query", c.query);
  if (const YAML::Node t = item["threshold"]; t.IsDefined() && !t.IsNull()) {
    auto parsed = t.IsScalar() ? parse_threshold(t.Scalar())
                               : fail(Errc::invalid_argument, "expected e.g. '< 0.5'");
    if (!parsed)
      r.error(t, YamlReader::join(p, "threshold"), parsed.error().message);
    else
      c.threshold = *parsed;
  }
  r.read(item, p, "max_ratio", c.max_ratio, 0.0, 1e9);
  read_command(r, item, p, c);
  read_size(r, item, p, "max_output_bytes", c.max_output_bytes, 1 << 20);
  r.read_path(item, p, "file", c.file);
  r.read(item, p, "max_age", c.max_age, std::chrono::seconds(1));

  // What the kind needs beyond the keys above: its own file says (config/kinds.h).
  if (const HealthCheckKind* kind = health_check_kinds().find(c.kind); kind && kind->check)
    kind->check(r, item, p, c);
}

}  // namespace

bool Threshold::holds(double v) const {
  switch (op) {
    case Op::lt:
      return v < value;
    case Op::le:
      return v <= value;
    case Op::gt:
      return v > value;
    case Op::ge:
      return v >= value;
  }
  return false;
}

std::string Threshold::to_string() const {
  constexpr std::string_view kOps[] = {"<", "<=", ">", ">="};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %g", kOps[static_cast<int>(op)].data(), value);
  return buf;
}

Result<Threshold> parse_threshold(std::string_view text) {
  std::string_view s = trim(text);
  Threshold t;
  if (s.starts_with("<=")) {
    t.op = Threshold::Op::le, s.remove_prefix(2);
  } else if (s.starts_with(">=")) {
    t.op = Threshold::Op::ge, s.remove_prefix(2);
  } else if (s.starts_with("<")) {
    t.op = Threshold::Op::lt, s.remove_prefix(1);
  } else if (s.starts_with(">")) {
    t.op = Threshold::Op::gt, s.remove_prefix(1);
  } else {
    return fail(Errc::invalid_argument, "threshold '" + std::string(text) +
                                            "' must start with <, <=, > or >= (e.g. '< 0.5')");
  }
  s = trim(s);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), t.value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(t.value))
    return fail(Errc::invalid_argument,
                "threshold '" + std::string(text) + "' needs a finite number after the operator");
  return t;
}

bool valid_check_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(name.front())) return false;
  for (char c : name) {
    if (!alnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

namespace detail {

void read_health(YamlReader& r, const YAML::Node& node, HealthConfig& out) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_map(node, "health", {"history", "checks"})) return;
  r.read(node, "health", "history", out.history, 2, 1000000);
  const YAML::Node list = node["checks"];
  if (!list.IsDefined() || list.IsNull() || !r.expect_list(list, "health.checks")) return;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string p = "health.checks[" + std::to_string(i) + "]";
    const YAML::Node item = list[i];
    if (!r.expect_map(item, p,
                      {"name",
                       "kind",
                       "interval",
                       "timeout",
                       "url",
                       "expected_status",
                       "max_latency",
                       "body_regex",
                       "max_body_bytes",
                       "ca_file",
                       "client_cert",
                       "client_key",
                       "insecure_skip_verify",
                       "unit",
                       "bus",
                       "expected_states",
                       "query",
                       "threshold",
                       "max_ratio",
                       "command",
                       "max_output_bytes",
                       "file",
                       "max_age"}))
      continue;
    HealthCheckConfig c;
    read_check(r, item, p, c);
    for (const auto& other : out.checks) {
      if (!c.name.empty() && other.name == c.name)
        r.error(item["name"], YamlReader::join(p, "name"), "duplicate check name '" + c.name + "'");
    }
    out.checks.push_back(std::move(c));
  }
}

}  // namespace detail

}  // namespace patchparty::config
