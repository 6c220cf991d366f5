#include "core/versions/parsed_scheme.h"

namespace patchparty::versions {

std::string printable(std::string_view version) {
  std::string out;
  out.reserve(version.size());
  for (unsigned char c : version) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

tl::unexpected<Error> invalid_version(std::string_view scheme, std::string_view version,
                                      const char* reason) {
  return fail(Errc::invalid_argument,
              std::string(scheme) + " version '" + printable(version) + "': " + reason);
}

}  // namespace patchparty::versions
