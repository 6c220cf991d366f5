#include "exporters/http/bearer_token.h"

#include <cctype>

namespace patchparty::http {

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
