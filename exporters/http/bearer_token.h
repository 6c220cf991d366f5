// The token that POST endpoints require (`Authorization: Bearer <token>`), read from the file
// named by api.token_file at start and on SIGHUP. No token configured means POST is disabled,
// never open.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace patchparty::http {

// The token file's content without surrounding whitespace (editors add a final newline).
// invalid_argument when it is empty or holds a control character or space inside; the error
// names the file, never the content.
[[nodiscard]] Result<std::string> read_token_file(const std::filesystem::path& file);

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
