#include "core/model/ecosystem_scope.h"

#include <algorithm>
#include <cctype>

namespace patchparty {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// "15 SP5" of "Linux Enterprise Server 15 SP5", "15" of "... 15"; empty when the name ends in
// no release.
std::string_view suse_release(std::string_view product) {
  const auto last_space = product.rfind(' ');
  if (last_space == std::string_view::npos) return {};
  const std::string_view last = product.substr(last_space + 1);
  if (all_digits(last)) return product.substr(last_space + 1);
  if (!last.starts_with("SP") || !all_digits(last.substr(2))) return {};
  const auto before = product.rfind(' ', last_space - 1);
  if (before == std::string_view::npos) return {};
  const std::string_view major = product.substr(before + 1, last_space - before - 1);
  return all_digits(major) ? product.substr(before + 1) : std::string_view();
}

bool suse_module_of(std::string_view advisory, std::string_view package) {
  constexpr std::string_view kProduct = "SUSE:Linux Enterprise ";
  constexpr std::string_view kModule = "SUSE:Linux Enterprise Module for ";
  if (!package.starts_with(kProduct) || !advisory.starts_with(kModule)) return false;
  const std::string_view release = suse_release(package);
  return !release.empty() && suse_release(advisory) == release;
}

}  // namespace

std::string_view ecosystem_base(std::string_view ecosystem) {
  return ecosystem.substr(0, ecosystem.find(':'));
}

bool ecosystem_applies(std::string_view advisory, std::string_view package) {
  if (advisory == package) return true;
  const std::string_view base = ecosystem_base(package);
  if (ecosystem_base(advisory) != base) return false;
  if (advisory.find(':') == std::string_view::npos) return true;
  // Packagist's suffix names the Composer repository serving the package
  // ("Packagist:https://packages.drupal.org/8"), not a release. A composer.lock package is
  // "Packagist" whatever repository it came from, and drupal/* is reserved to Drupal on
  // packagist.org, so the name decides.
  if (base == "Packagist") return package == "Packagist";
  if (base == "Red Hat")
    return advisory.size() > package.size() + 2 && advisory.starts_with(package) &&
           advisory.substr(package.size(), 2) == "::";
  if (base == "Ubuntu") {
    constexpr std::string_view kPro = "Ubuntu:Pro:";
    return package.starts_with(kPro) && advisory.substr(7) == package.substr(kPro.size());
  }
  if (base == "SUSE") return suse_module_of(advisory, package);
  return false;
}

}  // namespace patchparty
