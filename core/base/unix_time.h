// Wall-clock time as the store, the API and the alerts count it: whole unix seconds.
#pragma once

#include <chrono>
#include <cstdint>

namespace patchparty {

inline std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace patchparty
