// Fixtures from the shared third-party data set (never copied into the project).
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace patchparty::testing {

// Path of a file or folder below the shared data root, which CMake passes as PP_TEST_DATA_DIR.
// A missing fixture fails the test instead of skipping it.
inline std::filesystem::path test_data(std::string_view relative) {
  std::filesystem::path p = std::filesystem::path(PP_TEST_DATA_DIR) / relative;
  if (!std::filesystem::exists(p)) {
    ADD_FAILURE() << "missing test data: " << p;
    throw std::runtime_error("missing test data: " + p.string());
  }
  return p;
}

// A fresh empty directory under the build tree's temp area, removed by the caller if it likes.
inline std::filesystem::path temp_dir(std::string_view name) {
  auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path p = std::filesystem::temp_directory_path() /
                            ("patchparty-test-" + std::string(info ? info->name() : "x") + "-" +
                             std::string(name) + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

// `r` failed with `code`, and its message says `text`.
template <class T>
void expect_error(const Result<T>& r, Errc code, std::string_view text) {
  ASSERT_FALSE(r.has_value()) << "expected an error containing: " << text;
  EXPECT_EQ(r.error().code, code) << r.error().to_string();
  EXPECT_THAT(r.error().message, ::testing::HasSubstr(std::string(text)));
}

}  // namespace patchparty::testing

// absl status_matchers-style helpers for Result<T>.
#define EXPECT_OK(r) EXPECT_TRUE((r).has_value()) << (r).error().to_string()
#define ASSERT_OK(r) ASSERT_TRUE((r).has_value()) << (r).error().to_string()
#define EXPECT_ERRC(r, c)                                            \
  do {                                                               \
    auto&& pp_r_ = (r);                                              \
    ASSERT_FALSE(pp_r_.has_value()) << "expected an error";          \
    EXPECT_EQ(pp_r_.error().code, (c)) << pp_r_.error().to_string(); \
  } while (0)
