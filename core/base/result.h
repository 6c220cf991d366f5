// Result<T>: the one error vocabulary of patchparty (docs/architecture.md, "Errors").
// Codes say what the caller should do, as absl::StatusCode does: retry, refuse, keep last good.
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

namespace patchparty {

enum class Errc {
  invalid_argument,     // bad config or input value: refuse, do not retry
  not_found,            // the thing asked for does not exist
  failed_precondition,  // state must be fixed first (newer schema, missing file)
  unavailable,          // transient: retry with backoff
  deadline_exceeded,    // transient: retry with backoff
  data_loss,            // corrupt or truncated data: keep the last good copy
  resource_exhausted,   // a size limit was hit
  internal,             // a bug
};

std::string_view errc_name(Errc c);

struct Error {
  Errc code;
  std::string
      message;  // lower case, what and where: "dpkg status: line 12: stanza without Version"

  bool retryable() const { return code == Errc::unavailable || code == Errc::deadline_exceeded; }
  std::string to_string() const;
};

template <class T = void>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(Errc c, std::string m) {
  return tl::make_unexpected(Error{c, std::move(m)});
}

// Maps a C error number (errno, sd-bus's -r) to an Error, once for the whole code base.
Error errno_error(int err, std::string_view what);

// Prefixes an error with the context of the calling layer: "config.yml: " + inner message.
inline Error with_context(Error e, std::string_view context) {
  e.message.insert(0, std::string(context) + ": ");
  return e;
}

}  // namespace patchparty

// Propagates an error from a Result<T> and binds the value to `var` (ABSL_ASSIGN_OR_RETURN).
#define PP_CONCAT_INNER(a, b) a##b
#define PP_CONCAT(a, b) PP_CONCAT_INNER(a, b)
#define PP_TRY(var, expr)                                                        \
  auto PP_CONCAT(pp_try_, __LINE__) = (expr);                                    \
  if (!PP_CONCAT(pp_try_, __LINE__))                                             \
    return tl::make_unexpected(std::move(PP_CONCAT(pp_try_, __LINE__)).error()); \
  auto var = std::move(*PP_CONCAT(pp_try_, __LINE__))

// Propagates the error of a Result<void> (ABSL_RETURN_IF_ERROR).
#define PP_CHECK(expr)                                                            \
  do {                                                                            \
    auto pp_check_r_ = (expr);                                                    \
    if (!pp_check_r_) return tl::make_unexpected(std::move(pp_check_r_).error()); \
  } while (0)
