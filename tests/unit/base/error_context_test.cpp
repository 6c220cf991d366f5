#include "core/base/error_context.h"

#include <gtest/gtest.h>

#include <string>

namespace patchparty {
namespace {

TEST(WithContext, PrefixesTheErrorOfAResult) {
  Result<int> r = fail(Errc::data_loss, "line 3: cut");
  auto wrapped = with_context(std::move(r), "kev.json");
  ASSERT_FALSE(wrapped);
  EXPECT_EQ(wrapped.error().code, Errc::data_loss);
  EXPECT_EQ(wrapped.error().message, "kev.json: line 3: cut");
}

TEST(WithContext, PassesAValueThrough) {
  auto wrapped = with_context(Result<std::string>("rows"), "kev.json");
  ASSERT_TRUE(wrapped);
  EXPECT_EQ(*wrapped, "rows");
}

TEST(WithContext, PassesAVoidSuccessThrough) {
  EXPECT_TRUE(with_context(Result<>{}, "kev.json"));
  auto failed = with_context(Result<>(fail(Errc::unavailable, "busy")), "kev.json");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "kev.json: busy");
}

}  // namespace
}  // namespace patchparty
