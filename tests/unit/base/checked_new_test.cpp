#include "core/base/checked_new.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace patchparty {
namespace {

struct Refuses {
  Refuses() { throw std::invalid_argument("invalid metric name"); }
};

TEST(CheckedNew, AThrowingConstructorIsAnInternalErrorNamingWhat) {
  auto r = checked_new<Refuses>("health metrics", [] { return new Refuses(); });
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::internal);
  EXPECT_EQ(r.error().message, "health metrics: invalid metric name");
}

TEST(CheckedNew, OwnsWhatWasMade) {
  auto r = checked_new<int>("a number", [] { return new int(7); });
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(**r, 7);
}

}  // namespace
}  // namespace patchparty
