// What a feed reader emits, kept for assertions: the sink a test hands to parse_*() or refresh().
#pragma once

#include <functional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::testing {

struct CollectedAdvisories {
  std::vector<Advisory> advisories;

  std::function<Result<>(Advisory&&)> sink() {
    return [this](Advisory&& a) -> Result<> {
      advisories.push_back(std::move(a));
      return {};
    };
  }
  // The first advisory with this id; null when none.
  const Advisory* find(std::string_view id) const {
    for (const auto& a : advisories)
      if (a.id == id) return &a;
    return nullptr;
  }
  // The advisory with this id for this package, for readers that emit one advisory per package
  // and id; null when none.
  const Advisory* find(std::string_view package, std::string_view id) const {
    for (const auto& a : advisories)
      if (a.id == id && a.affected.front().name == package) return &a;
    return nullptr;
  }
};

}  // namespace patchparty::testing
