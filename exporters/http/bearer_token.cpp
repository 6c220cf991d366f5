#include "exporters/http/bearer_token.h"

#include <cctype>

#include "core/base/bounded_file.h"

namespace patchparty::http {

namespace {

constexpr std::size_t kMaxTokenFileBytes = 4096;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

Result<std::string> read_token_file(const std::filesystem::path& file) {
  auto text = read_bounded_file(file, kMaxTokenFileBytes);
  if (!text) return fail(text.error().code, "api.token_file: " + text.error().message);
  std::string_view t = *text;
  while (!t.empty() && is_space(t.front())) t.remove_prefix(1);
  while (!t.empty() && is_space(t.back())) t.remove_suffix(1);
  if (t.empty())
    return fail(Errc::invalid_argument, "api.token_file: " + file.string() + " is empty");
  for (char c : t) {
    // A header value cannot carry these, so such a token could never match.
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f)
      return fail(Errc::invalid_argument,
                  "api.token_file: " + file.string() + " holds spaces or control characters");
  }
  return std::string(t);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  // Every byte of `a` is compared whatever `b`'s length, so timing reveals lengths at most.
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const unsigned char other = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(static_cast<unsigned char>(a[i]) ^ other);
  }
  return diff == 0;
}

void BearerToken::set(std::optional<std::string> token) {
  std::lock_guard lock(mu_);
  token_ = std::move(token);
}

bool BearerToken::enabled() const {
  std::lock_guard lock(mu_);
  return token_.has_value();
}

TokenCheck BearerToken::check(std::optional<std::string_view> authorization) const {
  std::lock_guard lock(mu_);
  if (!token_) return TokenCheck::disabled;
  if (!authorization) return TokenCheck::missing;
  std::string_view v = *authorization;
  // RFC 7235: the scheme is case-insensitive.
  constexpr std::string_view kScheme = "bearer ";
  if (v.size() < kScheme.size()) return TokenCheck::wrong;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(v[i])) != kScheme[i]) return TokenCheck::wrong;
  }
  v.remove_prefix(kScheme.size());
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return constant_time_equal(*token_, v) ? TokenCheck::ok : TokenCheck::wrong;
}

}  // namespace patchparty::http
