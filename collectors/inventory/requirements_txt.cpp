#include "collectors/inventory/requirements_txt.h"

#include <algorithm>
#include <set>
#include <utility>

namespace patchparty::inventory {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxIncludeDepth = 8;

// Python's str.strip() and \s, for ASCII: what pip trims and where its comments may start.
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
         (c >= 0x1c && c <= 0x1f);
}

// The ASCII line boundaries of Python's str.splitlines().
bool is_line_break(char c) {
  return c == '\n' || c == '\r' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1e);
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// pip's COMMENT_RE, "(^|\s+)#.*$": the line without its comment.
std::string_view strip_comment(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] == '#' && (i == 0 || is_space(line[i - 1]))) return line.substr(0, i);
  return line;
}

bool starts_as_comment(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && is_space(line[i])) ++i;
  return i < line.size() && line[i] == '#';
}

struct LogicalLine {
  std::size_t number;
  std::string text;
};

Result<std::vector<LogicalLine>> logical_lines(std::string_view text, const std::string& label) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<LogicalLine> out;
  std::string joined;
  std::size_t first = 0;
  bool continuing = false;
  std::size_t number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = pos;
    while (end < text.size() && !is_line_break(text[end])) ++end;
    std::string_view line = text.substr(pos, end - pos);
    ++number;
    pos = end;
    if (pos < text.size())
      pos += (text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') ? 2 : 1;
    for (char c : line)
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
        return fail(Errc::data_loss, label + ":" + std::to_string(number) +
                                         ": control character, not a requirements file");
    if (line.ends_with('\\') && !starts_as_comment(line)) {
      // pip: line.strip("\\"), every backslash at either end.
      while (!line.empty() && line.front() == '\\') line.remove_prefix(1);
      while (!line.empty() && line.back() == '\\') line.remove_suffix(1);
      if (!continuing) first = number;
      continuing = true;
      joined += line;
      continue;
    }
    if (continuing) {
      if (starts_as_comment(line)) joined += ' ';
      joined += line;
      out.push_back({first, std::move(joined)});
      joined.clear();
      continuing = false;
    } else {
      out.push_back({number, std::string(line)});
    }
  }
  if (continuing) out.push_back({first, std::move(joined)});
  return out;
}

enum class Verdict { pinned, not_pinned };

struct Requirement {
  Verdict verdict = Verdict::not_pinned;
  std::string name, version;
};

void skip_space(std::string_view s, std::size_t& i) {
  while (i < s.size() && is_space(s[i])) ++i;
}

// PEP 508, as far as pinning needs it: name, extras, version clauses, then a marker or nothing.
Requirement parse_requirement(std::string_view s) {
  Requirement r;
  std::size_t i = 0;
  if (s.empty() || !is_alnum(s[0])) return r;
  while (i < s.size() && (is_alnum(s[i]) || s[i] == '.' || s[i] == '_' || s[i] == '-')) ++i;
  if (!is_alnum(s[i - 1])) return r;
  const std::string_view name = s.substr(0, i);
  skip_space(s, i);
  if (i < s.size() && s[i] == '[') {
    const auto close = s.find(']', i);
    if (close == std::string_view::npos) return r;
    for (std::size_t j = i + 1; j < close; ++j)
      if (!is_alnum(s[j]) && s[j] != '.' && s[j] != '_' && s[j] != '-' && s[j] != ',' &&
          !is_space(s[j]))
        return r;
    i = close + 1;
    skip_space(s, i);
  }
  bool parenthesised = false;
  if (i < s.size() && s[i] == '(') {
    parenthesised = true;
    ++i;
    skip_space(s, i);
  }
  std::size_t clauses = 0;
  std::string_view op, version;
  while (i < s.size() && std::string_view("=<>!~").find(s[i]) != std::string_view::npos) {
    const std::size_t op_start = i;
    while (i < s.size() && std::string_view("=<>!~").find(s[i]) != std::string_view::npos) ++i;
    op = s.substr(op_start, i - op_start);
    skip_space(s, i);
    const std::size_t v_start = i;
    while (i < s.size() && !is_space(s[i]) && s[i] != ',' && s[i] != ';' && s[i] != ')') ++i;
    version = s.substr(v_start, i - v_start);
    ++clauses;
    skip_space(s, i);
    if (i < s.size() && s[i] == ',') {
      ++i;
      skip_space(s, i);
    } else {
      break;
    }
  }
  if (parenthesised) {
    if (i >= s.size() || s[i] != ')') return r;
    ++i;
    skip_space(s, i);
  }
  if (i < s.size() && s[i] != ';') return r;  // "@ url", or not a requirement at all
  // PEP 440 versions, local labels included; "===" compares strings and takes any.
  const bool pep440 = std::all_of(version.begin(), version.end(), [](char c) {
    return is_alnum(c) || std::string_view("._+!-").find(c) != std::string_view::npos;
  });
  const bool exact = (op == "==" && pep440) || op == "===";
  if (clauses == 1 && exact && is_token(version)) {
    r.verdict = Verdict::pinned;
    r.name = std::string(name);
    r.version = std::string(version);
  }
  return r;
}

// The value of "-r x", "-rx", "--requirement x", "--requirement=x"; empty when `line` is not
// that option.
std::string option_value(std::string_view line, std::string_view short_name,
                         std::string_view long_name) {
  std::string_view rest;
  if (line.starts_with(long_name)) {
    rest = line.substr(long_name.size());
    if (!rest.empty() && rest.front() != '=' && !is_space(rest.front())) return {};
    if (!rest.empty() && rest.front() == '=') rest.remove_prefix(1);
  } else if (line.starts_with(short_name)) {
    rest = line.substr(short_name.size());
  } else {
    return {};
  }
  rest = trim(rest);
  std::size_t end = 0;
  while (end < rest.size() && !is_space(rest[end])) ++end;
  rest = rest.substr(0, end);
  if (rest.size() >= 2 && (rest.front() == '"' || rest.front() == '\'') &&
      rest.back() == rest.front())
    rest = rest.substr(1, rest.size() - 2);
  return std::string(rest);
}

bool is_option(std::string_view line, std::string_view short_name, std::string_view long_name) {
  if (line.starts_with(long_name))
    return line.size() == long_name.size() || line[long_name.size()] == '=' ||
           is_space(line[long_name.size()]);
  return line.starts_with(short_name) && !line.starts_with("--");
}

}  // namespace

Result<RequirementsResult> parse_requirements_txt(std::string_view text, std::string_view project,
                                                  std::string_view label_view,
                                                  std::vector<RequirementsInclude>* includes) {
  const std::string label(label_view);
  PP_TRY(lines, logical_lines(text, label));
  RequirementsResult out;
  for (const LogicalLine& logical : lines) {
    const std::string_view line = trim(strip_comment(logical.text));
    if (line.empty()) continue;
    const std::string where = label + ":" + std::to_string(logical.number) + ": ";
    if (line.front() == '-') {
      if (is_option(line, "-r", "--requirement")) {
        std::string path = option_value(line, "-r", "--requirement");
        if (includes && !path.empty())
          includes->push_back({std::move(path), logical.number});
        else
          out.not_pinned.push_back(where + std::string(line) + " (include not followed)");
      } else if (is_option(line, "-e", "--editable")) {
        out.not_pinned.push_back(where + std::string(line));
      }
      continue;  // "-c" constraints and index or install options
    }
    // pip's break_args_options: the requirement ends at the first word starting with "-".
    std::string_view requirement = line;
    if (const auto at = line.find(" -"); at != std::string_view::npos)
      requirement = trim(line.substr(0, at));
    Requirement r = parse_requirement(requirement);
    if (r.verdict == Verdict::not_pinned) {
      out.not_pinned.push_back(where + std::string(requirement));
      continue;
    }
    Package p;
    p.ecosystem = "PyPI";
    p.name = std::move(r.name);
    p.version = std::move(r.version);
    p.source_name = p.name;
    p.source_version = p.version;
    p.origin = "requirements";
    p.project = std::string(project);
    p.location = label;
    out.packages.push_back(std::move(p));
  }
  return out;
}

Result<RequirementsResult> read_requirements_txt(const fs::path& file, std::string_view project,
                                                 std::size_t max_bytes) {
  std::error_code ec;
  const fs::path tree = fs::weakly_canonical(fs::absolute(file, ec).parent_path(), ec);
  if (ec) return tl::make_unexpected(errno_error(ec.value(), file.string()));
  struct Pending {
    fs::path path;
    std::size_t depth;
    std::string context;  // "<file>:<line>: -r <path>" for errors; empty for the root
  };
  std::vector<Pending> stack{{file, 0, {}}};
  std::set<fs::path> seen;
  std::size_t budget = max_bytes;
  RequirementsResult out;
  while (!stack.empty()) {
    Pending current = std::move(stack.back());
    stack.pop_back();
    const fs::path canonical = fs::weakly_canonical(fs::absolute(current.path, ec), ec);
    if (ec) return tl::make_unexpected(errno_error(ec.value(), current.path.string()));
    if (!seen.insert(canonical).second) continue;
    auto text = read_bounded_file(current.path, budget);
    if (!text)
      return tl::make_unexpected(current.context.empty()
                                     ? std::move(text).error()
                                     : with_context(std::move(text).error(), current.context));
    budget -= text->size();
    std::vector<RequirementsInclude> includes;
    const std::string label = current.path.string();
    PP_TRY(parsed, parse_requirements_txt(*text, project, label, &includes));
    std::move(parsed.packages.begin(), parsed.packages.end(), std::back_inserter(out.packages));
    std::move(parsed.not_pinned.begin(), parsed.not_pinned.end(),
              std::back_inserter(out.not_pinned));
    std::vector<Pending> next;
    for (const RequirementsInclude& include : includes) {
      const std::string where = label + ":" + std::to_string(include.line) + ": -r " + include.path;
      if (include.path.find("://") != std::string::npos) {
        out.not_pinned.push_back(where + " (URL, not followed)");
        continue;
      }
      if (current.depth + 1 > kMaxIncludeDepth) {
        out.not_pinned.push_back(where + " (more than " + std::to_string(kMaxIncludeDepth) +
                                 " includes deep, not followed)");
        continue;
      }
      const fs::path target = (current.path.parent_path() / include.path).lexically_normal();
      const fs::path resolved = fs::weakly_canonical(fs::absolute(target, ec), ec);
      if (ec) return tl::make_unexpected(errno_error(ec.value(), where));
      const auto [tree_end, unused] =
          std::mismatch(tree.begin(), tree.end(), resolved.begin(), resolved.end());
      if (tree_end != tree.end()) {
        out.not_pinned.push_back(where + " (outside " + tree.string() + ", not followed)");
        continue;
      }
      next.push_back({target, current.depth + 1, where});
    }
    // Reversed, so that the stack yields includes in file order.
    for (auto it = next.rbegin(); it != next.rend(); ++it) stack.push_back(std::move(*it));
  }
  return out;
}

RequirementsTxt::RequirementsTxt(fs::path file, std::string project, std::size_t max_bytes)
    : file_(std::move(file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> RequirementsTxt::scan() {
  PP_TRY(result, read_requirements_txt(file_, project_, max_bytes_));
  not_pinned_ = std::move(result.not_pinned);
  return std::move(result.packages);
}

InventoryKind requirements_inventory_kind() {
  InventoryKind k;
  k.name = "requirements";
  k.lockfile_names = {"requirements.txt"};
  k.lockfile_ecosystem = "PyPI";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<RequirementsTxt>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
