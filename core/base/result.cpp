#include "core/base/result.h"

#include <cerrno>
#include <cstring>

namespace patchparty {

std::string_view errc_name(Errc c) {
  switch (c) {
    case Errc::invalid_argument:
      return "invalid_argument";
    case Errc::not_found:
      return "not_found";
    case Errc::failed_precondition:
      return "failed_precondition";
    case Errc::unavailable:
      return "unavailable";
    case Errc::deadline_exceeded:
      return "deadline_exceeded";
    case Errc::data_loss:
      return "data_loss";
    case Errc::resource_exhausted:
      return "resource_exhausted";
    case Errc::internal:
      return "internal";
  }
  return "unknown";
}

std::string Error::to_string() const {
  return std::string(errc_name(code)) + ": " + message;
}

Error errno_error(int err, std::string_view what) {
  if (err < 0) err = -err;
  Errc code = Errc::internal;
  switch (err) {
    case ENOENT:
      code = Errc::not_found;
      break;
    case EACCES:
    case EPERM:
    case EROFS:
      code = Errc::failed_precondition;
      break;
    case EINVAL:
      code = Errc::invalid_argument;
      break;
    case ETIMEDOUT:
      code = Errc::deadline_exceeded;
      break;
    case EAGAIN:
    case EINTR:
    case ECONNREFUSED:
    case ECONNRESET:
    case EHOSTUNREACH:
    case ENETUNREACH:
      code = Errc::unavailable;
      break;
    case ENOSPC:
    case EFBIG:
    case ENOMEM:
      code = Errc::resource_exhausted;
      break;
    default:
      break;
  }
  return Error{code, std::string(what) + ": " + std::strerror(err)};
}

}  // namespace patchparty
