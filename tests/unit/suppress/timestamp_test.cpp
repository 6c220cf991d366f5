#include "core/suppress/timestamp.h"

#include <gtest/gtest.h>

namespace patchparty::suppress {
namespace {

TEST(Timestamp, ParsesRfc3339InUtcAndWithOffsets) {
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339("2026-11-26T10:00:00Z"), 1795687200);
  EXPECT_EQ(parse_rfc3339("2026-11-26T11:00:00+01:00"), 1795687200);
  EXPECT_EQ(parse_rfc3339("2026-11-26T04:30:00-05:30"), 1795687200);
  EXPECT_EQ(parse_rfc3339("2026-11-26t10:00:00.123456789z"), 1795687200);
  EXPECT_EQ(parse_rfc3339("2026-11-26 10:00:00Z"), 1795687200);
  // OpenVEX tools write nanoseconds and local offsets.
  EXPECT_EQ(parse_rfc3339("2023-01-08T18:02:03.647787998-06:00"), 1673222523);
}

TEST(Timestamp, RefusesWhatIsNotRfc3339) {
  for (const char* bad :
       {"", "2026-11-26", "2026-11-26T10:00:00", "2026-11-26T10:00Z", "2026-02-30T10:00:00Z",
        "2026-13-01T10:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T10:60:00Z",
        "2026-11-26T10:00:00+1:00", "2026-11-26T10:00:00Z junk", "2026-11-26T10:00:00.Z",
        "+026-11-26T10:00:00Z", "2026-11-26X10:00:00Z"})
    EXPECT_EQ(parse_rfc3339(bad), std::nullopt) << bad;
}

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
