// The token that POST endpoints require (`Authorization: Bearer <token>`), read from the file
// named by api.token_file at start and on SIGHUP. No token configured means POST is disabled,
// never open.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/result.h"
#include "core/base/token_file.h"

namespace patchparty::http {

using ::patchparty::read_token_file;  // core/base/token_file.h

// Equal in time that depends only on the lengths, not on where the first difference is.
bool constant_time_equal(std::string_view a, std::string_view b);

enum class TokenCheck { ok, disabled, missing, wrong };

// Thread-safe: civetweb's threads check while the main thread replaces it on SIGHUP.
class BearerToken {
 public:
  void set(std::optional<std::string> token);
  bool enabled() const;
  // `authorization`: the request's Authorization header, if any.
  TokenCheck check(std::optional<std::string_view> authorization) const;

 private:
  mutable std::mutex mu_;
  std::optional<std::string> token_;
};

}  // namespace patchparty::http
