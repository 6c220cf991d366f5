#include "collectors/inventory/go_mod.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

namespace patchparty::inventory {

namespace {

struct Token {
  std::string text;
  bool punct = false;  // ( ) [ ] , as the grammar's own symbols, not quoted strings
};

struct Line {
  std::vector<Token> tokens;
  bool indirect = false;
};

struct Require {
  std::string path, version;
  bool indirect;
};

struct Replace {
  std::string old_path, old_version;  // old_version empty: every version
  std::string new_path, new_version;  // new_version empty: a local directory
};

bool is_punct(char c) {
  return c == '(' || c == ')' || c == '[' || c == ']' || c == ',';
}

// Module paths and versions reach labels, reports and command lines: printable ASCII.
bool is_word_char(char c) {
  return c > ' ' && c < 0x7f;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_word_char);
}

// "// indirect" or "// indirect; other comment", as cmd/go writes and reads it.
bool is_indirect_comment(std::string_view comment) {
  while (!comment.empty() && (comment.front() == ' ' || comment.front() == '\t'))
    comment.remove_prefix(1);
  while (!comment.empty() &&
         (comment.back() == ' ' || comment.back() == '\t' || comment.back() == '\r'))
    comment.remove_suffix(1);
  return comment == "indirect" || comment.starts_with("indirect;");
}

Result<Line> lex(std::string_view text, const std::string& where) {
  Line line;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (text.substr(i).starts_with("//")) {
      line.indirect = is_indirect_comment(text.substr(i + 2));
      break;
    } else if (text.substr(i).starts_with("/*")) {
      return fail(Errc::data_loss, where + ": go.mod files use // comments, not /*");
    } else if (is_punct(c)) {
      line.tokens.push_back(Token{std::string(1, c), true});
      ++i;
    } else if (c == '"' || c == '`') {
      std::string value;
      std::size_t j = i + 1;
      for (; j < text.size() && text[j] != c; ++j) {
        char d = text[j];
        if (c == '"' && d == '\\') {
          if (j + 1 >= text.size() || (text[j + 1] != '"' && text[j + 1] != '\\'))
            return fail(Errc::data_loss, where + ": unsupported escape in a quoted string");
          d = text[++j];
        }
        if (!is_word_char(d))
          return fail(Errc::data_loss,
                      where + ": quoted string with a space or non-printable character");
        value += d;
      }
      if (j >= text.size()) return fail(Errc::data_loss, where + ": unterminated quoted string");
      line.tokens.push_back(Token{std::move(value), false});
      i = j + 1;
    } else if (is_word_char(c)) {
      std::size_t j = i;
      while (j < text.size() && is_word_char(text[j]) && !is_punct(text[j]) &&
             !text.substr(j).starts_with("//"))
        ++j;
      line.tokens.push_back(Token{std::string(text.substr(i, j - i)), false});
      i = j;
    } else {
      return fail(Errc::data_loss, where + ": unexpected character (byte " +
                                       std::to_string(static_cast<unsigned char>(c)) + ")");
    }
  }
  return line;
}

bool is_local_path(std::string_view p) {
  return p.starts_with("./") || p.starts_with("../") || p.starts_with("/") ||
         p.starts_with(".\\") || p.starts_with("..\\") || p == "." || p == "..";
}

Result<std::string> version_token(const Token& t, const std::string& where) {
  if (t.punct || t.text.size() < 2 || t.text[0] != 'v' || !is_token(t.text))
    return fail(Errc::data_loss, where + ": \"" + t.text + "\" is not a module version (v1.2.3)");
  return t.text;
}

Result<std::string> path_token(const Token& t, const std::string& where) {
  if (t.punct || !is_token(t.text))
    return fail(Errc::data_loss, where + ": \"" + t.text + "\" is not a module path");
  return t.text;
}

Result<Replace> parse_replace(const std::vector<Token>& args, const std::string& where) {
  const auto arrow = std::find_if(args.begin(), args.end(),
                                  [](const Token& t) { return !t.punct && t.text == "=>"; });
  const auto left = static_cast<std::size_t>(arrow - args.begin());
  const std::size_t right = arrow == args.end() ? 0 : args.size() - left - 1;
  if (arrow == args.end() || left < 1 || left > 2 || right < 1 || right > 2)
    return fail(Errc::data_loss, where + ": replace is not \"old [version] => new [version]\"");
  Replace r;
  PP_TRY(old_path, path_token(args[0], where));
  r.old_path = std::move(old_path);
  if (left == 2) {
    PP_TRY(old_version, version_token(args[1], where));
    r.old_version = std::move(old_version);
  }
  PP_TRY(new_path, path_token(args[left + 1], where));
  r.new_path = std::move(new_path);
  const bool local = is_local_path(r.new_path);
  if (right == 2) {
    if (local)
      return fail(Errc::data_loss, where + ": a replacement directory cannot have a version");
    PP_TRY(new_version, version_token(args[left + 2], where));
    r.new_version = std::move(new_version);
  } else if (!local) {
    return fail(Errc::data_loss,
                where + ": a replacement without a version must be a directory (./ or ../)");
  }
  return r;
}

constexpr std::array<std::string_view, 10> kDirectives = {
    "module",  "go",      "toolchain", "godebug", "require",
    "exclude", "replace", "retract",   "tool",    "ignore"};

Result<> directive(std::string_view verb, const Line& line, std::size_t first,
                   const std::string& where, std::vector<Require>& requires_,
                   std::vector<Replace>& replaces) {
  const std::vector<Token> args(line.tokens.begin() + static_cast<std::ptrdiff_t>(first),
                                line.tokens.end());
  auto expect_args = [&](std::size_t n) -> Result<> {
    if (args.size() != n || std::any_of(args.begin(), args.end(), [](auto& t) { return t.punct; }))
      return fail(Errc::data_loss, where + ": " + std::string(verb) + " takes " +
                                       std::to_string(n) + " argument" + (n == 1 ? "" : "s"));
    return {};
  };
  if (verb == "module" || verb == "go" || verb == "toolchain" || verb == "tool" ||
      verb == "ignore" || verb == "godebug")
    return expect_args(1);
  if (verb == "exclude") return expect_args(2);
  if (verb == "retract") return {};  // versions and [low, high] intervals: nothing we read
  if (verb == "require") {
    PP_CHECK(expect_args(2));
    PP_TRY(path, path_token(args[0], where));
    PP_TRY(version, version_token(args[1], where));
    requires_.push_back(Require{std::move(path), std::move(version), line.indirect});
    return {};
  }
  PP_TRY(r, parse_replace(args, where));
  replaces.push_back(std::move(r));
  return {};
}

// The replace that applies to `req`: one naming its version, else one naming none; the last
// such line, as for duplicated lines the go command would refuse anyway.
const Replace* replacement(const Require& req, const std::vector<Replace>& replaces) {
  const Replace* any_version = nullptr;
  const Replace* exact = nullptr;
  for (const Replace& r : replaces) {
    if (r.old_path != req.path) continue;
    if (r.old_version.empty())
      any_version = &r;
    else if (r.old_version == req.version)
      exact = &r;
  }
  return exact ? exact : any_version;
}

}  // namespace

Result<std::vector<Package>> parse_go_mod(std::string_view text, std::string_view project,
                                          std::string_view label_view) {
  const std::string label(label_view);
  std::vector<Require> requires_;
  std::vector<Replace> replaces;
  std::optional<std::string> block;  // the verb of the open "verb (" block
  std::size_t number = 0;
  std::size_t block_line = 0;
  for (std::size_t pos = 0; pos <= text.size();) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    const std::string where = label + ": line " + std::to_string(number);
    PP_TRY(line, lex(raw, where));
    if (line.tokens.empty()) continue;
    const auto& t = line.tokens;
    if (block) {
      if (t.size() == 1 && t[0].punct && t[0].text == ")") {
        block.reset();
        continue;
      }
      PP_CHECK(directive(*block, line, 0, where, requires_, replaces));
      continue;
    }
    if (t[0].punct ||
        std::find(kDirectives.begin(), kDirectives.end(), t[0].text) == kDirectives.end())
      return fail(Errc::data_loss, where + ": unknown directive \"" + t[0].text + "\"");
    if (t.size() == 2 && t[1].punct && t[1].text == "(") {
      block = t[0].text;
      block_line = number;
      continue;
    }
    if (t.size() == 3 && t[1].punct && t[1].text == "(" && t[2].punct && t[2].text == ")") continue;
    PP_CHECK(directive(t[0].text, line, 1, where, requires_, replaces));
  }
  if (block)
    return fail(Errc::data_loss, label + ": line " + std::to_string(block_line) + ": \"" + *block +
                                     " (\" block is never closed");

  std::vector<Package> out;
  for (const Require& req : requires_) {
    std::string name = req.path;
    std::string version = req.version;
    if (const Replace* r = replacement(req, replaces)) {
      if (r->new_version.empty()) continue;  // a local directory: no registry version
      name = r->new_path;
      version = r->new_version;
    }
    Package p;
    p.ecosystem = "Go";
    p.name = std::move(name);
    p.version = version.substr(1);
    p.source_name = p.name;
    p.source_version = p.version;
    p.origin = "gomod";
    p.project = std::string(project);
    p.location = label;
    out.push_back(std::move(p));
  }
  return out;
}

GoMod::GoMod(std::filesystem::path mod_file, std::string project, std::size_t max_bytes)
    : mod_file_(std::move(mod_file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> GoMod::scan() {
  PP_TRY(text, read_bounded_file(mod_file_, max_bytes_));
  return parse_go_mod(text, project_, mod_file_.string());
}

InventoryKind gomod_inventory_kind() {
  InventoryKind k;
  k.name = "gomod";
  k.lockfile_names = {"go.mod"};
  k.lockfile_ecosystem = "Go";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<GoMod>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
