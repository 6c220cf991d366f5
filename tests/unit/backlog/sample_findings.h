// Findings the backlog tests build on: a small builder, and one realistic host for the goldens.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model/finding.h"

namespace patchparty::testing {

inline constexpr std::int64_t kDay = 86400;
inline constexpr std::int64_t kNow = 1795687200;        // 2026-11-26T10:00:00Z
inline constexpr std::int64_t kLastParty = 1793696400;  // 2026-11-03T09:00:00Z
inline constexpr std::int64_t kNextParty = 1796115600;  // 2026-12-01T09:00:00Z

inline Package debian_package(std::string name, std::string source, std::string version) {
  Package p;
  p.ecosystem = "Debian:12";
  p.name = std::move(name);
  p.source_name = std::move(source);
  p.version = version;
  p.source_version = std::move(version);
  p.arch = "amd64";
  p.origin = "dpkg";
  p.location = "/var/lib/dpkg/status";
  return p;
}

inline Package app_package(std::string ecosystem, std::string project, std::string name,
                           std::string version, std::string origin, std::string location) {
  Package p;
  p.ecosystem = std::move(ecosystem);
  p.name = name;
  p.source_name = std::move(name);
  p.version = version;
  p.source_version = std::move(version);
  p.origin = std::move(origin);
  p.project = project;
  p.location = std::move(location);
  return p;
}

inline Finding make_finding(Package package, std::string vulnerability, std::string fixed,
                            SeverityLevel severity, double risk, std::int64_t first_seen) {
  Finding f;
  f.host = "web-1";
  f.project = package.project;
  f.package = std::move(package);
  f.vulnerability = std::move(vulnerability);
  f.advisories = {f.vulnerability};
  f.feeds = {"osv"};
  f.fixed_version = std::move(fixed);
  f.fix_status = f.fixed_version.empty() ? FixStatus::unfixed : FixStatus::fixed;
  f.severity = severity;
  f.risk = risk;
  f.first_seen = first_seen;
  f.last_seen = kNow - 3600;
  return f;
}

// One web host with two projects: a KEV, an overdue distro upgrade, an expired suppression,
// two application upgrades, one finding Debian will not fix, one suppressed finding, and a
// package from a third party's repository (nginx.org).
inline std::vector<Finding> sample_findings() {
  std::vector<Finding> out;
  const std::int64_t aug14 = 1786687200, oct20 = 1792476000, nov10 = 1794290400, nov18 = 1794981600,
                     jun02 = 1780380000;

  for (const char* binary : {"libwebp7", "libwebpdemux2"}) {
    Finding f = make_finding(debian_package(binary, "libwebp", "1.2.4-0.2"), "CVE-2023-4863",
                             "1.2.4-0.2+deb12u1", SeverityLevel::high, 95.2, nov18);
    f.aliases = {"DSA-5496-1", "GHSA-j7hp-h8jx-5ppr"};
    f.advisories = {"DEBIAN-CVE-2023-4863", "DSA-5496-1"};
    f.feeds = {"debian-tracker", "debian-dsa-list"};
    f.cvss = 8.8;
    f.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H";
    f.epss = 0.93762;
    f.epss_percentile = 0.99853;
    f.kev = true;
    f.kev_due_date = "2023-10-04";
    f.summary =
        "Heap buffer overflow in libwebp allows a remote attacker to write out of bounds "
        "via a crafted HTML page";
    f.references = {"https://security-tracker.debian.org/tracker/CVE-2023-4863",
                    "https://www.debian.org/security/2023/dsa-5496"};
    out.push_back(std::move(f));
  }

  for (const char* binary : {"libssl3", "openssl"}) {
    Finding a = make_finding(debian_package(binary, "openssl", "3.0.11-1~deb12u2"), "CVE-2024-5535",
                             "3.0.14-1~deb12u1", SeverityLevel::critical, 41.3, aug14);
    a.advisories = {"DEBIAN-CVE-2024-5535"};
    a.feeds = {"debian-tracker"};
    a.cvss = 9.1;
    a.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H";
    a.epss = 0.00412;
    a.epss_percentile = 0.73544;
    a.summary = "SSL_select_next_proto buffer overread";
    a.references = {"https://security-tracker.debian.org/tracker/CVE-2024-5535"};
    out.push_back(std::move(a));

    Finding b = make_finding(debian_package(binary, "openssl", "3.0.11-1~deb12u2"), "CVE-2024-9143",
                             "3.0.15-1~deb12u1", SeverityLevel::medium, 12.0, oct20);
    b.advisories = {"DEBIAN-CVE-2024-9143"};
    b.feeds = {"debian-tracker"};
    b.cvss = 4.3;
    b.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N";
    b.summary = "Low-level invalid GF(2^m) parameters lead to out of range memory accesses";
    b.references = {"https://security-tracker.debian.org/tracker/CVE-2024-9143"};
    out.push_back(std::move(b));
  }

  Finding curl =
      make_finding(debian_package("libcurl4", "curl", "7.88.1-10+deb12u5"), "CVE-2024-2398",
                   "7.88.1-10+deb12u6", SeverityLevel::medium, 18.5, jun02);
  curl.cvss = 5.9;
  curl.summary = "HTTP/2 push headers memory-leak";
  curl.references = {"https://curl.se/docs/CVE-2024-2398.html"};
  curl.suppression = SuppressionMatch{"suppressions.yml:4",
                                      "waiting for the bookworm point release",
                                      "",
                                      "",
                                      1793491200 /* 2026-11-01 */,
                                      true};
  out.push_back(std::move(curl));

  Finding kernel = make_finding(app_package("Packagist", "shop", "symfony/http-kernel", "6.2.5",
                                            "composer", "/srv/shop/composer.lock"),
                                "CVE-2022-24894", "6.2.6", SeverityLevel::medium, 22.4, nov10);
  kernel.aliases = {"GHSA-h7vf-5wrv-9fhv"};
  kernel.advisories = {"GHSA-h7vf-5wrv-9fhv", "symfony/http-kernel/CVE-2022-24894.yaml"};
  kernel.feeds = {"osv", "friendsofphp"};
  kernel.cvss = 6.5;
  kernel.summary = "Prevent storing cookie headers in HttpCache";
  kernel.references = {"https://github.com/advisories/GHSA-h7vf-5wrv-9fhv",
                       "https://symfony.com/cve-2022-24894"};
  out.push_back(std::move(kernel));

  Finding lodash_a = make_finding(
      app_package("npm", "storefront", "lodash", "4.17.15", "npm", "node_modules/lodash"),
      "CVE-2020-8203", "4.17.19", SeverityLevel::high, 30.1, nov10);
  lodash_a.aliases = {"GHSA-p6mc-m468-83gw"};
  lodash_a.advisories = {"GHSA-p6mc-m468-83gw"};
  lodash_a.cvss = 7.4;
  lodash_a.summary = "Prototype Pollution in lodash";
  lodash_a.references = {"https://github.com/advisories/GHSA-p6mc-m468-83gw"};
  out.push_back(std::move(lodash_a));

  Finding lodash_b = make_finding(
      app_package("npm", "storefront", "lodash", "4.17.15", "npm", "node_modules/lodash"),
      "CVE-2021-23337", "4.17.21", SeverityLevel::high, 33.7, nov10);
  lodash_b.aliases = {"GHSA-35jh-r3h4-6jhm"};
  lodash_b.advisories = {"GHSA-35jh-r3h4-6jhm"};
  lodash_b.cvss = 7.2;
  lodash_b.summary = "Command Injection in lodash";
  lodash_b.references = {"https://github.com/advisories/GHSA-35jh-r3h4-6jhm"};
  out.push_back(std::move(lodash_b));

  Finding zlib = make_finding(debian_package("zlib1g", "zlib", "1:1.2.13.dfsg-1"), "CVE-2023-45853",
                              "", SeverityLevel::critical, 48.0, aug14);
  zlib.fix_status = FixStatus::ignored;
  zlib.cvss = 9.8;
  zlib.summary =
      "MiniZip integer overflow and heap-based buffer overflow in zipOpenNewFileInZip4_64";
  zlib.references = {"https://security-tracker.debian.org/tracker/CVE-2023-45853"};
  out.push_back(std::move(zlib));

  Finding twig = make_finding(
      app_package("Packagist", "shop", "twig/twig", "3.5.0", "composer", "/srv/shop/composer.lock"),
      "CVE-2024-45411", "3.11.1", SeverityLevel::high, 27.0, nov10);
  twig.aliases = {"GHSA-6j75-5wfj-gh66"};
  twig.cvss = 8.6;
  twig.summary = "Twig has a possible sandbox bypass";
  twig.suppression = SuppressionMatch{"suppressions.yml:12",
                                      "the shop does not use the sandbox",
                                      "not_affected",
                                      "vulnerable_code_not_in_execute_path",
                                      1801353600 /* 2027-01-31 */,
                                      false};
  out.push_back(std::move(twig));

  // nginx from nginx.org: Debian's fix is for Debian's build, so no target is promised.
  Package nginx = debian_package("nginx", "nginx", "1.26.2-1~bookworm");
  nginx.supplier = "nginx";
  nginx.third_party = true;
  nginx.supplier_newest = "1.26.3-1~bookworm";
  Finding tls = make_finding(std::move(nginx), "CVE-2025-23419", "1.22.1-9+deb12u2",
                             SeverityLevel::medium, 20.3, nov10);
  tls.cvss = 5.3;
  tls.summary = "TLS session resumption bypasses client certificate authentication";
  tls.references = {"https://nginx.org/en/security_advisories.html"};
  out.push_back(std::move(tls));
  return out;
}

}  // namespace patchparty::testing
