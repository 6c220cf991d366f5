// One vulnerability, many names: GHSA-…, CVE-…, DSA-…, DLA-…, OSV and distribution ids that
// alias each other (directly or through a chain) form one set, and findings merge by set.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace patchparty::correlate {

class AliasSets {
 public:
  // Records that `id` and every one of `aliases` name the same vulnerability.
  void add(std::string_view id, const std::vector<std::string>& aliases);
  void link(std::string_view a, std::string_view b);

  // The set's primary name: a CVE id when the set has one (what people search for), else a
  // GHSA id, else the smallest id; stable whatever order the links arrived in.
  std::string primary(std::string_view id);
  // Every id of the set, sorted; just {id} for an id never seen.
  std::vector<std::string> members(std::string_view id);
  std::size_t size() const { return parent_.size(); }

 private:
  std::size_t node(std::string_view id);
  std::size_t find(std::size_t n);

  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::string> names_;
  std::vector<std::size_t> parent_;
  std::vector<std::size_t> best_;  // per root: the node holding the set's primary name
};

// Orders ids by how good a primary name they make (CVE, then GHSA, then the rest).
bool better_primary(std::string_view a, std::string_view b);

}  // namespace patchparty::correlate
