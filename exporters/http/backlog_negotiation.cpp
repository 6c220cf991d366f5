#include "exporters/http/backlog_negotiation.h"

#include <cctype>
#include <string>

namespace patchparty::http {

namespace {

using exporters::BacklogFormat;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// q from "q=0.5"; 1 when absent; a malformed q counts as 0 (not acceptable) rather than 1.
double quality(std::string_view params) {
  while (!params.empty()) {
    const auto semi = params.find(';');
    const std::string_view p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      try {
        std::size_t used = 0;
        const std::string v(p.substr(2));
        const double q = std::stod(v, &used);
        return used == v.size() && q >= 0 && q <= 1 ? q : 0;
      } catch (const std::exception&) {
        return 0;
      }
    }
  }
  return 1;
}

std::optional<BacklogFormat> format_of(std::string_view media_type) {
  const std::string t = lower(media_type);
  if (t == "application/json" || t == "*/*" || t == "application/*") return BacklogFormat::json;
  if (t == "text/csv") return BacklogFormat::csv;
  if (t == "text/markdown" || t == "text/*") return BacklogFormat::markdown;
  return std::nullopt;
}

}  // namespace

Result<BacklogFormat> negotiate_backlog_format(std::optional<std::string_view> format_param,
                                               std::optional<std::string_view> accept) {
  if (format_param) {
    const std::string f = lower(*format_param);
    if (f == "json") return BacklogFormat::json;
    if (f == "csv") return BacklogFormat::csv;
    if (f == "md" || f == "markdown") return BacklogFormat::markdown;
    return fail(Errc::invalid_argument,
                "format: '" + std::string(*format_param) + "' is not one of json, csv, md");
  }
  if (!accept || trim(*accept).empty()) return BacklogFormat::json;
  // The highest q wins; on a tie, the first listed (clients list what they prefer first).
  std::optional<BacklogFormat> best;
  double best_q = 0;
  std::string_view rest = *accept;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const auto semi = item.find(';');
    const auto format = format_of(trim(item.substr(0, semi)));
    const double q = semi == std::string_view::npos ? 1 : quality(item.substr(semi + 1));
    if (format && q > best_q) {
      best = format;
      best_q = q;
    }
  }
  if (!best)
    return fail(Errc::failed_precondition,
                "cannot produce '" + std::string(trim(*accept)) +
                    "': the backlog is application/json, text/csv or text/markdown");
  return *best;
}

std::string_view backlog_content_type(BacklogFormat f) {
  switch (f) {
    case BacklogFormat::csv:
      return "text/csv; charset=utf-8; header=present";
    case BacklogFormat::markdown:
      return "text/markdown; charset=utf-8";
    case BacklogFormat::table:
      return "text/plain; charset=utf-8";
    case BacklogFormat::json:
      break;
  }
  return "application/json";
}

}  // namespace patchparty::http
