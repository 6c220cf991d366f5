#include "core/model/package_name.h"

namespace patchparty {

namespace {

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::string index_package_name(std::string_view base_ecosystem, std::string_view name) {
  std::string out;
  out.reserve(name.size());
  if (base_ecosystem == "PyPI") {
    for (char c : name) {
      if (c == '-' || c == '_' || c == '.') {
        if (out.empty() || out.back() != '-') out.push_back('-');
      } else {
        out.push_back(ascii_lower(c));
      }
    }
    // A separator run is one '-' even at the edges ("_foo" -> "-foo"), as packaging's
    // canonicalize_name does; names on PyPI never start or end with one.
    return out;
  }
  if (base_ecosystem == "Packagist") {
    for (char c : name) out.push_back(ascii_lower(c));
    return out;
  }
  return std::string(name);
}

bool same_package_name(std::string_view base_ecosystem, std::string_view a, std::string_view b) {
  if (base_ecosystem != "PyPI" && base_ecosystem != "Packagist") return a == b;
  return index_package_name(base_ecosystem, a) == index_package_name(base_ecosystem, b);
}

}  // namespace patchparty
