// Objects whose constructor may throw from a library (prometheus-cpp refuses a bad metric or
// label name with an exception) made into a Result at the module's edge, once for all of them.
#pragma once

#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace patchparty {

// `make` returns a new T; an exception from it is internal (a bug), named with `what`.
template <class T, class Make>
[[nodiscard]] Result<std::unique_ptr<T>> checked_new(std::string_view what, Make make) {
  try {
    return std::unique_ptr<T>(make());
  } catch (const std::exception& e) {
    return fail(Errc::internal, std::string(what) + ": " + e.what());
  }
}

}  // namespace patchparty
