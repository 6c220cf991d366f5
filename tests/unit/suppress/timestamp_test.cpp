#include "core/suppress/timestamp.h"

#include <gtest/gtest.h>

namespace patchparty::suppress {
namespace {

TEST(Timestamp, ADateExpiresAtTheNextMidnightUtc) {
  // 2027-01-31 covers the whole day: it expires at 2027-02-01T00:00:00Z.
  EXPECT_EQ(parse_expiry("2027-01-31"), parse_rfc3339("2027-02-01T00:00:00Z"));
  EXPECT_EQ(parse_expiry("2028-02-29"), parse_rfc3339("2028-03-01T00:00:00Z"));
  EXPECT_EQ(parse_expiry("2027-02-29"), std::nullopt);
  EXPECT_EQ(parse_expiry("2027-1-31"), std::nullopt);
}

TEST(Timestamp, ATimeExpiresAtThatInstant) {
  EXPECT_EQ(parse_expiry("2027-01-31T18:00:00Z"), parse_rfc3339("2027-01-31T18:00:00Z"));
  EXPECT_EQ(parse_expiry("soon"), std::nullopt);
}

}  // namespace
}  // namespace patchparty::suppress
