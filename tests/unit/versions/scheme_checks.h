// The checks every version scheme's test makes the same way: an order that must exist, and a
// version that must be refused wherever it appears.
#pragma once

#include <gtest/gtest.h>

#include <string_view>

#include "core/versions/version_scheme.h"
#include "tests/support/test_data.h"

namespace patchparty::testing {

// compare(a, b), which must succeed; 99 (no order) when it does not.
inline int checked_compare(const versions::VersionScheme& s, std::string_view a,
                           std::string_view b) {
  auto r = s.compare(a, b);
  EXPECT_TRUE(r.has_value()) << a << " vs " << b << ": " << r.error().to_string();
  return r.value_or(99);
}

inline int sign(int c) {
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// checked_compare as -1, 0 or 1, for tests that spell the expected order as a number.
inline int checked_sign(const versions::VersionScheme& s, std::string_view a, std::string_view b) {
  auto r = s.compare(a, b);
  EXPECT_TRUE(r.has_value()) << a << " vs " << b << ": " << r.error().to_string();
  return r ? sign(*r) : 99;
}

// validate(bad) and compare(bad, valid) are invalid_argument, and compare(valid, bad) too when
// `both_sides`. Wrap the call in ASSERT_NO_FATAL_FAILURE to stop the test at the first success.
inline void expect_refused(const versions::VersionScheme& s, std::string_view bad,
                           std::string_view valid, bool both_sides) {
  EXPECT_ERRC(s.validate(bad), Errc::invalid_argument);
  EXPECT_ERRC(s.compare(bad, valid), Errc::invalid_argument);
  if (both_sides) EXPECT_ERRC(s.compare(valid, bad), Errc::invalid_argument);
}

}  // namespace patchparty::testing
