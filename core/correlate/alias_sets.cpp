#include "core/correlate/alias_sets.h"

#include <algorithm>

namespace patchparty::correlate {

namespace {
int rank(std::string_view id) {
  if (id.starts_with("CVE-")) return 0;
  if (id.starts_with("GHSA-")) return 1;
  return 2;
}
}  // namespace

bool better_primary(std::string_view a, std::string_view b) {
  int ra = rank(a), rb = rank(b);
  if (ra != rb) return ra < rb;
  return a < b;
}

std::size_t AliasSets::node(std::string_view id) {
  auto it = index_.find(std::string(id));
  if (it != index_.end()) return it->second;
  std::size_t n = names_.size();
  index_.emplace(std::string(id), n);
  names_.emplace_back(id);
  parent_.push_back(n);
  best_.push_back(n);
  return n;
}

std::size_t AliasSets::find(std::size_t n) {
  // Path halving keeps the trees flat without recursion.
  while (parent_[n] != n) {
    parent_[n] = parent_[parent_[n]];
    n = parent_[n];
  }
  return n;
}

void AliasSets::link(std::string_view a, std::string_view b) {
  std::size_t ra = find(node(a));
  std::size_t rb = find(node(b));
  if (ra == rb) return;
  if (ra > rb) std::swap(ra, rb);
  parent_[rb] = ra;
  if (better_primary(names_[best_[rb]], names_[best_[ra]])) best_[ra] = best_[rb];
}

void AliasSets::add(std::string_view id, const std::vector<std::string>& aliases) {
  node(id);
  for (const auto& a : aliases) {
    if (!a.empty()) link(id, a);
  }
}

std::string AliasSets::primary(std::string_view id) {
  auto it = index_.find(std::string(id));
  if (it == index_.end()) return std::string(id);
  return names_[best_[find(it->second)]];
}

std::vector<std::string> AliasSets::members(std::string_view id) {
  auto it = index_.find(std::string(id));
  if (it == index_.end()) return {std::string(id)};
  std::size_t root = find(it->second);
  std::vector<std::string> out;
  for (std::size_t n = 0; n < names_.size(); ++n) {
    if (find(n) == root) out.push_back(names_[n]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace patchparty::correlate
