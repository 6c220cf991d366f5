// The validate/compare pair that every version scheme shares: parse each side, stop at the first
// that does not parse, then order the parsed forms. A scheme's own file keeps only its grammar
// (Parse) and its ordering (Compare); both are template arguments, so they inline as before.
#pragma once

#include <string>
#include <string_view>

#include "core/base/result.h"
#include "core/versions/version_scheme.h"

namespace patchparty::versions {

// Bytes outside printable ASCII as \xNN: a version from a feed or a database may hold anything,
// and the error message must stay one readable line.
std::string printable(std::string_view version);

// invalid_argument "<scheme> version '<version>': <reason>".
tl::unexpected<Error> invalid_version(std::string_view scheme, std::string_view version,
                                      const char* reason);

// Parse: const char* (std::string_view, Parsed& out), saying what is wrong (nullptr when nothing
// is) and filling `out` when it parses; the error names the scheme and the version.
// Compare: int (const Parsed&, const Parsed&).
template <class Parsed, auto Parse, auto Compare>
class CheckedScheme final : public VersionScheme {
 public:
  explicit constexpr CheckedScheme(std::string_view name) : name_(name) {}

  std::string_view name() const override { return name_; }

  [[nodiscard]] Result<void> validate(std::string_view version) const override {
    Parsed parsed;
    if (const char* reason = Parse(version, parsed)) return invalid_version(name_, version, reason);
    return {};
  }

  [[nodiscard]] Result<int> compare(std::string_view a, std::string_view b) const override {
    Parsed pa, pb;
    if (const char* reason = Parse(a, pa)) return invalid_version(name_, a, reason);
    if (const char* reason = Parse(b, pb)) return invalid_version(name_, b, reason);
    return Compare(pa, pb);
  }

 private:
  std::string_view name_;
};

// Parse: Result<Parsed> (std::string_view), whose error is passed on unchanged.
// Compare: int (const Parsed&, const Parsed&).
template <auto Parse, auto Compare>
class ParsedScheme final : public VersionScheme {
 public:
  explicit constexpr ParsedScheme(std::string_view name) : name_(name) {}

  std::string_view name() const override { return name_; }

  [[nodiscard]] Result<void> validate(std::string_view version) const override {
    PP_TRY(parsed, Parse(version));
    (void)parsed;
    return {};
  }

  [[nodiscard]] Result<int> compare(std::string_view a, std::string_view b) const override {
    PP_TRY(pa, Parse(a));
    PP_TRY(pb, Parse(b));
    return Compare(pa, pb);
  }

 private:
  std::string_view name_;
};

}  // namespace patchparty::versions
