#include "core/versions/comparator_range.h"

#include <string>
#include <vector>

namespace patchparty::versions {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

enum class Op { lt, le, gt, ge, eq, ne };

struct Comparator {
  Op op;
  std::string_view version;
};

// Splits "a,b c" into comparators; an operator may be separated from its version by spaces.
Result<std::vector<Comparator>> parse_all_of(std::string_view text, std::string_view whole) {
  std::vector<Comparator> out;
  std::size_t i = 0;
  auto is_sep = [](char c) { return c == ' ' || c == '\t' || c == ','; };
  while (i < text.size()) {
    while (i < text.size() && is_sep(text[i])) ++i;
    if (i >= text.size()) break;
    Op op;
    std::string_view rest = text.substr(i);
    if (rest.starts_with(">=")) {
      op = Op::ge, i += 2;
    } else if (rest.starts_with("<=")) {
      op = Op::le, i += 2;
    } else if (rest.starts_with("!=")) {
      op = Op::ne, i += 2;
    } else if (rest.starts_with("==")) {
      op = Op::eq, i += 2;
    } else if (rest.starts_with(">")) {
      op = Op::gt, i += 1;
    } else if (rest.starts_with("<")) {
      op = Op::lt, i += 1;
    } else if (rest.starts_with("=")) {
      op = Op::eq, i += 1;
    } else {
      op = Op::eq;  // a bare version means exactly that version
    }
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::size_t start = i;
    while (i < text.size() && !is_sep(text[i])) ++i;
    std::string_view v = text.substr(start, i - start);
    if (v.empty() || v.find_first_of("<>=!|") != std::string_view::npos)
      return fail(Errc::invalid_argument,
                  "range '" + std::string(whole) + "': expected a version after an operator");
    out.push_back(Comparator{op, v});
  }
  if (out.empty())
    return fail(Errc::invalid_argument, "range '" + std::string(whole) + "': empty alternative");
  return out;
}

bool holds(Op op, int c) {
  switch (op) {
    case Op::lt:
      return c < 0;
    case Op::le:
      return c <= 0;
    case Op::gt:
      return c > 0;
    case Op::ge:
      return c >= 0;
    case Op::eq:
      return c == 0;
    case Op::ne:
      return c != 0;
  }
  return false;
}

}  // namespace

Result<bool> comparator_range_satisfied(const VersionScheme& scheme, std::string_view version,
                                        std::string_view range) {
  PP_CHECK(scheme.validate(version));
  bool any = false;
  std::size_t pos = 0;
  // Every alternative is parsed and its versions validated even after one matched, so a typo
  // in the range is an error rather than depending on the version asked about.
  for (;;) {
    std::size_t bar = range.find("||", pos);
    std::string_view alt =
        trim(range.substr(pos, bar == std::string_view::npos ? std::string_view::npos : bar - pos));
    PP_TRY(comparators, parse_all_of(alt, range));
    bool all = true;
    for (const auto& c : comparators) {
      PP_TRY(order, scheme.compare(version, c.version));
      all = all && holds(c.op, order);
    }
    any = any || all;
    if (bar == std::string_view::npos) break;
    pos = bar + 2;
  }
  return any;
}

}  // namespace patchparty::versions
