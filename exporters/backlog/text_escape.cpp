#include "exporters/backlog/text_escape.h"

#include <algorithm>

namespace patchparty::exporters {

// Names, summaries and reasons come from feeds and lockfiles: escape everything Markdown would
// read as markup, and fold line breaks, so untrusted text cannot restructure the document.
std::string md_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
      continue;
    }
    if (std::string_view("\\`*_[]<>|~#").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// Package names and versions read best verbatim; a code span needs no escaping except for
// backticks, which a longer fence absorbs.
std::string md_code(std::string_view s) {
  std::string clean;
  for (char c : s) clean += (c == '\n' || c == '\r') ? ' ' : c;
  if (clean.find('`') == std::string::npos) return "`" + clean + "`";
  return "`` " + clean + " ``";
}

std::string md_url(std::string_view url) {
  std::string out;
  for (unsigned char c : url) {
    if (c <= 0x20 || c == '(' || c == ')' || c == '<' || c == '>' || c >= 0x7f) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string md_link(std::string_view id, std::string_view url) {
  if (url.empty()) return md_text(id);
  return "[" + md_text(id) + "](" + md_url(url) + ")";
}

// RFC 4180: a field holding a comma, quote or line break is quoted, quotes doubled. A field that
// a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe, because
// package names and notes come from untrusted lockfiles and feeds (OWASP "CSV injection").
std::string csv_field(std::string_view s) {
  std::string v;
  if (!s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos)
    v += '\'';
  v += s;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string joined(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += sep;
    out += i;
  }
  return out;
}

// daemon/cli's TextTable sits above pp_backlog in the link order, so the backlog aligns its own
// columns; widths count bytes, which is right for the ASCII ids and versions shown here.
std::string aligned_columns(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& r : rows) {
    width.resize(std::max(width.size(), r.size()), 0);
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line.append(width[i] - r[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace patchparty::exporters
