#include "core/watch/rollback_argv.h"

#include <algorithm>
#include <array>

namespace patchparty::watch {

namespace {

constexpr std::array<std::string_view, 4> kPlaceholders = {"target", "package", "from_version",
                                                           "to_version"};

const std::string* value_of(std::string_view name, const RollbackValues& v) {
  if (name == "target") return &v.target;
  if (name == "package") return &v.package;
  if (name == "from_version") return &v.from_version;
  if (name == "to_version") return &v.to_version;
  return nullptr;
}

bool value_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '+' || c == ':' || c == '~' || c == '@' || c == '-';
}

bool unit_char(char c) {
  // systemd's unit name characters (unit-name.c VALID_CHARS), '@' handled apart.
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' ||
         c == '-' || c == '_' || c == '.' || c == '\\';
}

// Walks `arg`, calling on_text for literal runs and on_placeholder for each {name}; an
// unbalanced or unknown placeholder is an error naming the argument.
template <class Text, class Placeholder>
Result<> scan(std::string_view arg, Text on_text, Placeholder on_placeholder) {
  std::size_t i = 0;
  while (i < arg.size()) {
    const auto open = arg.find_first_of("{}", i);
    if (open == std::string_view::npos) {
      on_text(arg.substr(i));
      break;
    }
    if (arg[open] == '}')
      return fail(Errc::invalid_argument, "'}' without '{' in argument '" + std::string(arg) + "'");
    on_text(arg.substr(i, open - i));
    const auto close = arg.find('}', open);
    if (close == std::string_view::npos)
      return fail(Errc::invalid_argument, "unclosed '{' in argument '" + std::string(arg) + "'");
    const auto name = arg.substr(open + 1, close - open - 1);
    if (std::find(kPlaceholders.begin(), kPlaceholders.end(), name) == kPlaceholders.end())
      return fail(Errc::invalid_argument,
                  "unknown placeholder {" + std::string(name) +
                      "} (known: {target} {package} {from_version} {to_version})");
    PP_TRY(ok, on_placeholder(name));
    (void)ok;
    i = close + 1;
  }
  return {};
}

Result<std::string> substitute(std::string_view arg, const RollbackValues& values) {
  std::string out;
  auto r = scan(
      arg, [&](std::string_view text) { out += text; },
      [&](std::string_view name) -> Result<bool> {
        const std::string* v = value_of(name, values);
        PP_CHECK(validate_value(name, v ? *v : std::string_view{}));
        out += *v;
        return true;
      });
  if (!r) return tl::make_unexpected(r.error());
  return out;
}

}  // namespace

Result<> validate_value(std::string_view name, std::string_view value) {
  const std::string what = "{" + std::string(name) + "}";
  if (value.empty()) return fail(Errc::invalid_argument, what + " is empty");
  if (value.size() > 128) return fail(Errc::invalid_argument, what + " is longer than 128 bytes");
  if (value.front() == '-')
    return fail(Errc::invalid_argument,
                what + " '" + std::string(value) + "' starts with '-' and would read as an option");
  for (char c : value)
    if (!value_char(c))
      return fail(Errc::invalid_argument,
                  what + " holds a character outside [A-Za-z0-9._+:~@-]: refused");
  return {};
}

Result<> validate_argv_template(std::span<const std::string> argv) {
  if (argv.empty()) return fail(Errc::invalid_argument, "empty command");
  if (argv.front().empty() || argv.front().front() != '/')
    return fail(Errc::invalid_argument,
                "the program must be an absolute path (no PATH lookup): '" + argv.front() + "'");
  if (argv.front().find('{') != std::string::npos)
    return fail(Errc::invalid_argument, "the program itself cannot be a placeholder");
  for (const auto& arg : argv) {
    PP_CHECK(scan(
        arg, [](std::string_view) {}, [](std::string_view) -> Result<bool> { return true; }));
  }
  return {};
}

Result<std::vector<std::string>> expand_argv(std::span<const std::string> argv,
                                             const RollbackValues& values) {
  PP_CHECK(validate_argv_template(argv));
  std::vector<std::string> out;
  out.reserve(argv.size());
  for (const auto& arg : argv) {
    PP_TRY(expanded, substitute(arg, values));
    out.push_back(std::move(expanded));
  }
  return out;
}

Result<std::string> expand_unit_name(std::string_view unit_template, const RollbackValues& values) {
  PP_TRY(name, substitute(unit_template, values));
  const auto dot = name.rfind('.');
  static constexpr std::array<std::string_view, 4> kSuffixes = {".service", ".target", ".timer",
                                                                ".path"};
  const bool suffix_ok =
      dot != std::string::npos && std::find(kSuffixes.begin(), kSuffixes.end(),
                                            std::string_view(name).substr(dot)) != kSuffixes.end();
  if (!suffix_ok || dot == 0 || name.size() > 255)
    return fail(Errc::invalid_argument, "'" + name + "' is not a valid unit name");
  const auto at = name.find('@');
  if (at != std::string::npos && (at == 0 || name.find('@', at + 1) != std::string::npos))
    return fail(Errc::invalid_argument, "'" + name + "' is not a valid unit name");
  for (std::size_t i = 0; i < dot; ++i)
    if (i != at && !unit_char(name[i]))
      return fail(Errc::invalid_argument,
                  "'" + name + "' holds characters systemd does not allow in a unit name");
  return name;
}

}  // namespace patchparty::watch
