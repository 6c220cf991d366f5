#include "collectors/inventory/lock_toml.h"

#include <string>

namespace patchparty::inventory {

namespace {

constexpr std::size_t kMaxDotsPerLine = 64;

// Dots outside strings and comments, per line: the only way TOML nests tables without the
// brackets toml++ counts. A small lexer, since dots inside quoted URLs and versions are common.
Result<> check_key_depth(std::string_view text, std::string_view label) {
  enum class State { normal, basic, literal, ml_basic, ml_literal, comment };
  State state = State::normal;
  std::size_t dots = 0;
  std::size_t line = 1;
  const auto at = [&](std::size_t i, std::string_view s) { return text.substr(i, s.size()) == s; };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      dots = 0;
      if (state == State::basic || state == State::literal || state == State::comment)
        state = State::normal;
      continue;
    }
    switch (state) {
      case State::normal:
        if (c == '#') {
          state = State::comment;
        } else if (c == '"') {
          state = at(i, "\"\"\"") ? State::ml_basic : State::basic;
          if (state == State::ml_basic) i += 2;
        } else if (c == '\'') {
          state = at(i, "'''") ? State::ml_literal : State::literal;
          if (state == State::ml_literal) i += 2;
        } else if (c == '.' && ++dots > kMaxDotsPerLine) {
          return fail(Errc::invalid_argument,
                      std::string(label) + ": line " + std::to_string(line) + " has more than " +
                          std::to_string(kMaxDotsPerLine) + " dotted key parts");
        }
        break;
      case State::basic:
        if (c == '\\' && i + 1 < text.size() && text[i + 1] != '\n')
          ++i;
        else if (c == '"')
          state = State::normal;
        break;
      case State::literal:
        if (c == '\'') state = State::normal;
        break;
      case State::ml_basic:
        if (c == '\\' && i + 1 < text.size() && text[i + 1] != '\n') {
          ++i;
        } else if (at(i, "\"\"\"")) {
          state = State::normal;
          i += 2;
        }
        break;
      case State::ml_literal:
        if (at(i, "'''")) {
          state = State::normal;
          i += 2;
        }
        break;
      case State::comment:
        break;
    }
  }
  return {};
}

}  // namespace

Result<toml::table> parse_lock_toml(std::string_view text, std::string_view label) {
  PP_CHECK(check_key_depth(text, label));
  try {
    return toml::parse(text, label);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return fail(Errc::data_loss, std::string(label) + ": invalid TOML at line " +
                                     std::to_string(where.line) + ", column " +
                                     std::to_string(where.column) + ": " +
                                     std::string(e.description()));
  }
}

long lock_version_major(std::string_view version) {
  std::size_t digits = 0;
  while (digits < version.size() && digits < 6 && version[digits] >= '0' && version[digits] <= '9')
    ++digits;
  if (digits == 0 || (digits < version.size() && version[digits] != '.')) return -1;
  return std::stol(std::string(version.substr(0, digits)));
}

Result<> check_metadata_lock_version(const toml::table& doc, std::string_view key, long first,
                                     std::string_view label_view) {
  const std::string label(label_view);
  const toml::node* metadata = doc.get("metadata");
  if (!metadata) return {};
  if (!metadata->is_table())
    return fail(Errc::invalid_argument, label + ": \"metadata\" is not a table");
  const toml::node* v = metadata->as_table()->get(key);
  if (!v) return {};
  if (!v->is_string())
    return fail(Errc::invalid_argument, label + ": \"" + std::string(key) + "\" is not a string");
  const std::string& version = v->as_string()->get();
  const long major = lock_version_major(version);
  if (major != first && major != first + 1)
    return fail(Errc::failed_precondition, label + ": " + std::string(key) + " \"" + version +
                                               "\" is not supported (" + std::to_string(first) +
                                               ".x and " + std::to_string(first + 1) + ".x are)");
  return {};
}

}  // namespace patchparty::inventory
