// Who ships the installed version of each Debian/Ubuntu package, as apt itself knows it: the
// Packages lists in /var/lib/apt/lists (plain or compressed, as apt keeps them) and the Origin,
// Label and Suite of the Release or InRelease file beside each. A package whose installed version
// only a third party's lists hold (nginx.org, a PPA, sury, NodeSource) is not the distribution's
// build, so the distribution's fixed versions say nothing certain about it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::inventory {

// The first paragraph of a Release or InRelease file: the fields apt pins on (o=, l=, a=, n=).
struct AptRelease {
  std::string origin, label, suite, codename;
};

// Release fields from the text of a Release file or of a clear-signed InRelease file. The
// signature is not checked again: apt keeps only files it verified in its lists directory.
AptRelease parse_apt_release(std::string_view text);

// One repository as its lists name it.
struct AptRepository {
  AptRelease release;
  std::string site;  // host of the repository URI, from the list file name: "nginx.org"
  // What the finding says it comes from: Origin, else Label, else the site.
  std::string supplier() const;
};

// The distribution's own Release origins for a host ecosystem: "Debian:12" -> Debian and Debian
// Backports; "Ubuntu:22.04" (and Ubuntu:Pro:...) -> Ubuntu, UbuntuESM, UbuntuESMApps. Empty for
// anything else.
std::vector<std::string> default_distribution_origins(std::string_view ecosystem);

struct AptListsOptions {
  std::filesystem::path dir;  // the lists directory, root already applied
  // Release origins that are the distribution; a list with any other origin is a third party.
  std::vector<std::string> distribution_origins;
  // Cap on the decompressed bytes of one list: a larger one is skipped with a warning.
  std::uint64_t max_list_bytes = std::uint64_t{1} << 30;
};

struct AptListsResult {
  std::size_t lists = 0;        // Packages lists read
  std::size_t third_party = 0;  // packages marked third_party
  // Lists that could not be read (corrupt, too large, no readable Release beside them): each
  // skipped, its packages left unmarked.
  std::vector<std::string> warnings;
};

// Sets supplier, third_party and supplier_newest on each package (Package in core/model/model.h):
//  - a list of the distribution holds the installed (name, arch, version): supplier is that
//    origin, not third party;
//  - only third parties' lists hold it: third party, supplier is the first of them by name;
//  - no list holds that version (an older build the archive no longer carries) but some hold the
//    package, all of them a third party's: third party, as its version can only have come from
//    there;
//  - otherwise (no lists at all, a local build, or the distribution also ships the package):
//    supplier stays empty and the package is taken as the distribution's, as before.
// A missing directory is no error: nothing is marked. Packages are matched by exact version, as
// dpkg compares them (so "0:1.2" is "1.2").
[[nodiscard]] Result<AptListsResult> mark_package_suppliers(std::vector<Package>& packages,
                                                            const AptListsOptions& options);

}  // namespace patchparty::inventory
