// A string member of a parsed JSON document, read without tripping rapidjson's own asserts.
#pragma once

#include <rapidjson/document.h>

#include <string>

namespace patchparty::testing {

// The string `v` holds; empty when it holds anything else, so a wrong type fails the
// comparison instead of aborting the test binary.
inline std::string json_string(const rapidjson::Value& v) {
  return v.IsString() ? std::string(v.GetString(), v.GetStringLength()) : std::string();
}

}  // namespace patchparty::testing
