#include "exporters/http/bearer_token.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/test_data.h"

namespace patchparty::http {
namespace {

std::filesystem::path write(const std::filesystem::path& p, std::string_view text) {
  std::ofstream(p) << text;
  return p;
}

TEST(BearerToken, TokenFileIsTrimmed) {
  auto dir = testing::temp_dir("token");
  auto t = read_token_file(write(dir / "a", "  abc.DEF-123_~+/=\n"));
  ASSERT_OK(t);
  EXPECT_EQ(*t, "abc.DEF-123_~+/=");
}

TEST(BearerToken, BadTokenFilesAreRefusedWithoutTheirContent) {
  auto dir = testing::temp_dir("token");
  EXPECT_ERRC(read_token_file(write(dir / "empty", "\n\n")), Errc::invalid_argument);
  auto spaced = read_token_file(write(dir / "spaced", "two words\n"));
  EXPECT_ERRC(spaced, Errc::invalid_argument);
  EXPECT_EQ(spaced.error().message.find("words"), std::string::npos);
  auto missing = read_token_file(dir / "missing");
  EXPECT_ERRC(missing, Errc::not_found);
  EXPECT_NE(missing.error().message.find("api.token_file"), std::string::npos);
  EXPECT_ERRC(read_token_file(write(dir / "huge", std::string(10000, 'x'))),
              Errc::resource_exhausted);
}

TEST(BearerToken, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
  EXPECT_FALSE(constant_time_equal("ab", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", ""));
  EXPECT_FALSE(constant_time_equal(std::string_view("a\0c", 3), "a"));
}

TEST(BearerToken, Checks) {
  BearerToken t;
  EXPECT_EQ(t.check("Bearer x"), TokenCheck::disabled);
  EXPECT_FALSE(t.enabled());
  t.set(std::string("x"));
  EXPECT_TRUE(t.enabled());
  EXPECT_EQ(t.check(std::nullopt), TokenCheck::missing);
  EXPECT_EQ(t.check("Bearer x"), TokenCheck::ok);
  EXPECT_EQ(t.check("BEARER  x "), TokenCheck::ok);
  EXPECT_EQ(t.check("Bearer y"), TokenCheck::wrong);
  EXPECT_EQ(t.check("Bearer"), TokenCheck::wrong);
  EXPECT_EQ(t.check("Basic x"), TokenCheck::wrong);
  EXPECT_EQ(t.check("x"), TokenCheck::wrong);
}

}  // namespace
}  // namespace patchparty::http
