// Golden files: compare output with a committed file; PP_UPDATE_GOLDEN=1 rewrites it instead.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace patchparty::testing {

inline void expect_golden(const std::filesystem::path& file, const std::string& actual) {
  const char* update = std::getenv("PP_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(file, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << file << "; run with PP_UPDATE_GOLDEN=1";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str())
      << "differs from " << file << "; if intended, run with PP_UPDATE_GOLDEN=1 and review";
}

}  // namespace patchparty::testing
