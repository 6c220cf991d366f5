// Text from outside (package names, summaries, reasons) made safe for the Markdown and CSV that
// host and fleet backlogs write, and columns aligned for their tables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace patchparty::exporters {

// Markdown text with every markup character escaped and line breaks folded.
std::string md_text(std::string_view s);
// A code span, fenced so that no backtick inside can end it.
std::string md_code(std::string_view s);
// A link destination with spaces, parentheses and non-ASCII bytes percent-encoded.
std::string md_url(std::string_view url);
// "[id](url)", or the escaped id when there is no URL.
std::string md_link(std::string_view id, std::string_view url);

// One RFC 4180 field, guarded against spreadsheet formulas.
std::string csv_field(std::string_view s);
std::string joined(const std::vector<std::string>& items, std::string_view sep);

// Rows as aligned columns for a terminal, two spaces apart, trailing spaces cut.
std::string aligned_columns(const std::vector<std::vector<std::string>>& rows);

}  // namespace patchparty::exporters
