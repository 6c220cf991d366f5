// Reads exporters/grafana/patchparty.json for tests: the panels' queries, and those queries with
// Grafana's variables replaced so that Prometheus itself can evaluate them.
#pragma once

#include <rapidjson/document.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace patchparty::testing {

inline std::filesystem::path dashboard_path() {
  return std::filesystem::path(PP_SOURCE_DIR) / "exporters/grafana/patchparty.json";
}

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct PanelQuery {
  std::string panel;  // the panel's title
  std::string expr;
};

// Every target's expr of every panel, in panel order; empty exprs included, so callers see them.
inline std::vector<PanelQuery> dashboard_queries(const rapidjson::Document& doc) {
  std::vector<PanelQuery> out;
  if (!doc.IsObject() || !doc.HasMember("panels") || !doc["panels"].IsArray()) return out;
  for (const auto& p : doc["panels"].GetArray()) {
    const std::string title =
        p.HasMember("title") && p["title"].IsString() ? p["title"].GetString() : "";
    if (!p.HasMember("targets") || !p["targets"].IsArray()) continue;
    for (const auto& t : p["targets"].GetArray())
      out.push_back(
          {title, t.HasMember("expr") && t["expr"].IsString() ? t["expr"].GetString() : ""});
  }
  return out;
}

// Grafana's built-in interval variables and the dashboard's own variables, replaced by concrete
// values. Longer names first, so $__rate_interval is not read as $__range followed by text.
inline std::string substitute_variables(std::string expr,
                                        const std::map<std::string, std::string>& variables) {
  std::vector<std::pair<std::string, std::string>> ordered(variables.begin(), variables.end());
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [name, value] : ordered) {
    for (const std::string& form : {"${" + name + "}", "$" + name}) {
      for (auto at = expr.find(form); at != std::string::npos;
           at = expr.find(form, at + value.size()))
        expr.replace(at, form.size(), value);
    }
  }
  return expr;
}

// patchparty metric families an expression names; histogram series suffixes are folded into
// their family (patchparty_scan_duration_seconds_bucket -> patchparty_scan_duration_seconds).
inline std::set<std::string> patchparty_families(const std::string& expr,
                                                 const std::set<std::string>& histograms) {
  std::set<std::string> out;
  static const std::regex name(R"(patchparty_[a-z_]+)");
  for (std::sregex_iterator it(expr.begin(), expr.end(), name), end; it != end; ++it) {
    std::string n = it->str();
    for (const std::string suffix : {"_bucket", "_sum", "_count"}) {
      if (n.size() > suffix.size() && n.ends_with(suffix) &&
          histograms.count(n.substr(0, n.size() - suffix.size()))) {
        n.resize(n.size() - suffix.size());
        break;
      }
    }
    out.insert(n);
  }
  return out;
}

}  // namespace patchparty::testing
