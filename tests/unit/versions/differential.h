// The loops the differential tests share: which pairs go to an oracle, and how our answers are
// held against its answers.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/versions/version_scheme.h"
#include "tests/support/test_data.h"
#include "tests/unit/versions/scheme_checks.h"
#include "tests/unit/versions/version_vectors.h"

namespace patchparty::testing {

using VersionPairs = std::vector<std::pair<std::string, std::string>>;

// The vector files' own pairs first, so that their rejections meet the oracle too, then
// generated ones up to `total`, the second version often a neighbour of the first.
template <class Generator>
VersionPairs vector_then_generated_pairs(std::initializer_list<const char*> files, Generator& gen,
                                         std::size_t total) {
  VersionPairs pairs;
  for (const char* f : files)
    for (const auto& v : read_loose_vectors(test_data(f))) pairs.emplace_back(v.a, v.b);
  while (pairs.size() < total) {
    std::string a = gen.version();
    pairs.emplace_back(a, gen.pick(3) == 0 ? gen.version() : gen.variant(a));
  }
  return pairs;
}

// "lt", "eq", "gt" or "invalid", as the oracle scripts answer a comparison.
inline std::string answer(const Result<int>& r) {
  if (!r) return "invalid";
  return *r < 0 ? "lt" : (*r > 0 ? "gt" : "eq");
}

// Holds `ours(i)` against the oracle's line i: the first 20 that differ are failures, shown as
// "'A'<relation>'B': <who> says ..., we say ...". Returns how many differ.
template <class Ours>
int count_disagreements(const VersionPairs& pairs, const std::vector<std::string>& oracle,
                        std::string_view relation, std::string_view who, Ours ours) {
  int disagreements = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const std::string mine = ours(i);
    if (mine != oracle[i] && ++disagreements <= 20)
      ADD_FAILURE() << "'" << pairs[i].first << "'" << relation << "'" << pairs[i].second
                    << "': " << who << " says " << oracle[i] << ", we say " << mine;
  }
  return disagreements;
}

struct OrderAgreement {
  int disagreements = 0;
  int equal = 0;  // pairs the oracle calls equal
};

// For oracles that print -1, 0 or 1 a pair: each pair must be valid for `s` and ordered as the
// oracle orders it; the first 20 that are not are failures naming `who`.
inline OrderAgreement agree_on_order(const versions::VersionScheme& s, const VersionPairs& pairs,
                                     const std::vector<std::string>& oracle, std::string_view who) {
  OrderAgreement a;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    int ours = checked_compare(s, pairs[i].first, pairs[i].second);
    int theirs = std::stoi(oracle[i]);
    a.equal += theirs == 0;
    if (ours != theirs && ++a.disagreements <= 20)
      ADD_FAILURE() << "'" << pairs[i].first << "' vs '" << pairs[i].second << "': ours " << ours
                    << ", " << who << " " << theirs;
  }
  return a;
}

}  // namespace patchparty::testing
