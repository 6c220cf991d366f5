#include "core/correlate/module_streams.h"

#include <algorithm>

namespace patchparty::correlate {

namespace {

bool stream_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '+' || c == '-';
}

std::string_view module_of(std::string_view module_stream) {
  return module_stream.substr(0, module_stream.find(':'));
}

}  // namespace

bool is_module_build(std::string_view rpm_version) {
  return rpm_version.find(".module+") != std::string_view::npos ||
         rpm_version.find(".module_") != std::string_view::npos;
}

std::vector<std::string> advisory_module_streams(std::string_view summary) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < summary.size()) {
    while (i < summary.size() && !stream_char(summary[i])) ++i;
    std::size_t start = i;
    while (i < summary.size() && (stream_char(summary[i]) || summary[i] == ':')) ++i;
    std::string_view word = summary.substr(start, i - start);
    const auto colon = word.find(':');
    // Exactly one colon with a name on each side: "perl:5.32", not "Moderate:" or "a:b:c".
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == word.size() ||
        word.find(':', colon + 1) != std::string_view::npos)
      continue;
    if (std::find(out.begin(), out.end(), word) == out.end()) out.emplace_back(word);
  }
  return out;
}

std::optional<std::string> stream_mismatch(const Package& p, std::string_view version,
                                           const Advisory& a, const Affected& af) {
  const bool modular = is_module_build(version);
  bool module_fix = false;
  for (const Range& r : af.ranges) {
    if (r.type != Range::Type::ecosystem) continue;
    for (const RangeEvent& ev : r.events) {
      if (ev.version == "0") continue;
      if (is_module_build(ev.version) != modular) {
        return std::string(modular ? "a module build is installed"
                                   : "no module build is installed") +
               " and the advisory's " + std::string(modular ? "" : "module ") + "build " +
               ev.version + " is from " + (modular ? "outside the module" : "a module stream") +
               ": different streams, not compared";
      }
      module_fix = module_fix || modular;
    }
  }
  if (!module_fix || p.module_stream.empty()) return std::nullopt;
  std::vector<std::string> named;
  for (std::string& s : advisory_module_streams(a.summary)) {
    if (module_of(s) == module_of(p.module_stream)) named.push_back(std::move(s));
  }
  if (named.empty() || std::find(named.begin(), named.end(), p.module_stream) != named.end())
    return std::nullopt;
  std::string streams;
  for (const auto& s : named) streams += (streams.empty() ? "" : ", ") + s;
  return "the advisory is for " + streams + " and " + p.module_stream +
         " is installed: different streams, not compared";
}

}  // namespace patchparty::correlate
