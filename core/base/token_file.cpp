#include "core/base/token_file.h"

#include "core/base/bounded_file.h"

namespace patchparty {

namespace {

constexpr std::size_t kMaxTokenFileBytes = 4096;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

Result<std::string> read_token_file(const std::filesystem::path& file, std::string_view setting) {
  const std::string where(setting);
  auto text = read_bounded_file(file, kMaxTokenFileBytes);
  if (!text) return fail(text.error().code, where + ": " + text.error().message);
  std::string_view t = *text;
  while (!t.empty() && is_space(t.front())) t.remove_prefix(1);
  while (!t.empty() && is_space(t.back())) t.remove_suffix(1);
  if (t.empty()) return fail(Errc::invalid_argument, where + ": " + file.string() + " is empty");
  for (char c : t) {
    // A header value cannot carry these, so such a token could never match.
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f)
      return fail(Errc::invalid_argument,
                  where + ": " + file.string() + " holds spaces or control characters");
  }
  return std::string(t);
}

}  // namespace patchparty
