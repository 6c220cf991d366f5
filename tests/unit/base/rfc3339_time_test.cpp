#include "core/base/rfc3339_time.h"

#include <gtest/gtest.h>

namespace patchparty {
namespace {

TEST(Rfc3339Time, ParsesRfc3339InUtcAndWithOffsets) {
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339("2026-11-26T10:00:00Z"), 1795687200);
  EXPECT_EQ(parse_rfc3339("2026-11-26T11:00:00+01:00"), 1795687200);
  EXPECT_EQ(parse_rfc3339("2026-11-26T04:30:00-05:30"), 1795687200);
  EXPECT_EQ(parse_rfc3339("2026-11-26t10:00:00.123456789z"), 1795687200);
  EXPECT_EQ(parse_rfc3339("2026-11-26 10:00:00Z"), 1795687200);
  // OpenVEX tools write nanoseconds and local offsets.
  EXPECT_EQ(parse_rfc3339("2023-01-08T18:02:03.647787998-06:00"), 1673222523);
}

TEST(Rfc3339Time, RefusesWhatIsNotRfc3339) {
  for (const char* bad :
       {"", "2026-11-26", "2026-11-26T10:00:00", "2026-11-26T10:00Z", "2026-02-30T10:00:00Z",
        "2026-13-01T10:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T10:60:00Z",
        "2026-11-26T10:00:00+1:00", "2026-11-26T10:00:00Z junk", "2026-11-26T10:00:00.Z",
        "+026-11-26T10:00:00Z", "2026-11-26X10:00:00Z"})
    EXPECT_EQ(parse_rfc3339(bad), std::nullopt) << bad;
}

TEST(Rfc3339Time, CalendarDates) {
  EXPECT_EQ(date_days("1970-01-01"), 0);
  EXPECT_EQ(date_days("2028-02-29"), 21243);
  EXPECT_EQ(date_days("2027-02-29"), std::nullopt);
  EXPECT_EQ(date_days("2027-1-31"), std::nullopt);
}

}  // namespace
}  // namespace patchparty
