// Inventories of a given size for the store tests that fill a database without caring what is
// in it: Debian packages pkg0, pkg1, ... all at one version.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model/model.h"

namespace patchparty::store {

inline std::vector<Package> numbered_packages(int n, std::string_view version) {
  std::vector<Package> out;
  for (int i = 0; i < n; ++i) {
    Package p;
    p.ecosystem = "Debian:12";
    p.name = "pkg" + std::to_string(i);
    p.version = std::string(version);
    p.origin = "dpkg";
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace patchparty::store
