#include "collectors/feeds/debian_releases.h"

#include <array>
#include <utility>

namespace patchparty::feeds {

namespace {

// From etch on, the major number alone, as os-release's VERSION_ID states it (the inventory builds
// "Debian:<VERSION_ID>"); 3.0 and 3.1 were distinct releases, so they keep their minor.
constexpr std::array<std::pair<std::string_view, std::string_view>, 21> kReleases{{
    {"buzz", "1.1"},     {"rex", "1.2"},     {"bo", "1.3"},    {"hamm", "2.0"},  {"slink", "2.1"},
    {"potato", "2.2"},   {"woody", "3.0"},   {"sarge", "3.1"}, {"etch", "4"},    {"lenny", "5"},
    {"squeeze", "6"},    {"wheezy", "7"},    {"jessie", "8"},  {"stretch", "9"}, {"buster", "10"},
    {"bullseye", "11"},  {"bookworm", "12"}, {"trixie", "13"}, {"forky", "14"},  {"duke", "15"},
    {"sid", "unstable"},
}};

}  // namespace

std::optional<std::string_view> debian_release_number(std::string_view codename) {
  for (const auto& [name, number] : kReleases) {
    if (name == codename) return number;
  }
  return std::nullopt;
}

std::optional<std::string> debian_ecosystem(std::string_view codename) {
  auto number = debian_release_number(codename);
  if (!number) return std::nullopt;
  return "Debian:" + std::string(*number);
}

std::vector<std::string> debian_codenames(const std::vector<std::string>& only) {
  static constexpr std::string_view kCodenames[] = {
      "buzz",   "rex",      "bo",       "hamm",    "slink",  "potato", "woody",
      "sarge",  "etch",     "lenny",    "squeeze", "wheezy", "jessie", "stretch",
      "buster", "bullseye", "bookworm", "trixie",  "forky",  "duke",   "sid"};
  std::vector<std::string> out;
  for (const auto& o : only) {
    bool mapped = false;
    for (auto c : kCodenames) {
      if (debian_ecosystem(c) == o) {
        out.emplace_back(c);
        mapped = true;
      }
    }
    if (!mapped) out.push_back(o);
  }
  return out;
}

}  // namespace patchparty::feeds
