// A registry of kinds by name: the one place a role (feed, health check, inventory source) lists
// what it knows. Filled by an explicit register_builtin_*() list at start-up, read afterwards;
// never self-registered from static initialisers, which a static library would drop.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/log.h"

namespace patchparty {

template <class Entry>
class Registry {
 public:
  // `role` names the registry in the message of a duplicate ("feed kind").
  explicit Registry(std::string role) : role_(std::move(role)) {}
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // A duplicate name is a programming error (two kinds claiming one config value): abort, so it
  // fails at the first start-up rather than shadowing a kind silently.
  void add(std::string name, Entry entry) {
    if (find(name)) {
      log::error(role_ + " '" + name + "' registered twice");
      std::abort();
    }
    names_.push_back(std::move(name));
    entries_.push_back(std::move(entry));
  }

  const Entry* find(std::string_view name) const {
    auto it = std::find(names_.begin(), names_.end(), name);
    return it == names_.end() ? nullptr : &entries_[it - names_.begin()];
  }

  // In registration order, so lists in messages and --help read as the register_builtin_*()
  // list is written.
  const std::vector<std::string>& names() const { return names_; }

  // "osv, kev, epss": for "unknown kind" messages.
  std::string joined_names() const {
    std::string out;
    for (const auto& n : names_) out += (out.empty() ? "" : ", ") + n;
    return out;
  }

 private:
  std::string role_;
  std::vector<std::string> names_;
  std::vector<Entry> entries_;
};

}  // namespace patchparty
