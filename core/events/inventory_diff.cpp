#include "core/events/inventory_diff.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/versions/version_scheme.h"

namespace patchparty::events {

namespace {

using Key = std::tuple<std::string, std::string, std::string>;  // name, arch, location

std::map<Key, const Package*> index(const std::vector<Package>& packages) {
  std::map<Key, const Package*> out;
  for (const auto& p : packages) out.emplace(Key{p.name, p.arch, p.location}, &p);
  return out;
}

PatchEvent base(const Package& p, Kind kind, std::int64_t at) {
  PatchEvent e;
  e.at = at;
  e.origin = Origin::inventory;
  e.kind = kind;
  e.target = p.name;
  e.arch = p.arch;
  e.ecosystem = p.ecosystem;
  e.project = p.project;
  return e;
}

}  // namespace

std::vector<PatchEvent> diff_inventory(const std::vector<Package>& before,
                                       const std::vector<Package>& after, std::int64_t at) {
  const auto old_index = index(before);
  const auto new_index = index(after);
  std::vector<PatchEvent> out;
  for (const auto& [key, now] : new_index) {
    auto it = old_index.find(key);
    if (it == old_index.end()) {
      PatchEvent e = base(*now, Kind::install, at);
      e.to_version = now->version;
      out.push_back(std::move(e));
      continue;
    }
    const Package* was = it->second;
    if (was->version == now->version) continue;
    PatchEvent e = base(*now, Kind::upgrade, at);
    e.from_version = was->version;
    e.to_version = now->version;
    auto scheme = versions::scheme_for_ecosystem(now->ecosystem);
    Result<int> order = scheme ? (*scheme)->compare(was->version, now->version)
                               : Result<int>(tl::make_unexpected(scheme.error()));
    if (!order)
      e.note = "version order unknown: " + order.error().message.substr(0, 200);
    else if (*order > 0)
      e.kind = Kind::downgrade;
    else if (*order == 0)
      continue;  // the same version spelt differently ("1.0" and "1.0.0" in semver)
    out.push_back(std::move(e));
  }
  for (const auto& [key, was] : old_index) {
    if (new_index.contains(key)) continue;
    PatchEvent e = base(*was, Kind::remove, at);
    e.from_version = was->version;
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(), [](const PatchEvent& a, const PatchEvent& b) {
    return std::tie(a.target, a.arch) < std::tie(b.target, b.arch);
  });
  return out;
}

}  // namespace patchparty::events
