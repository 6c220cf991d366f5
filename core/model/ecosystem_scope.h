// Which advisories apply to which packages, by OSV ecosystem name. A package carries its host's
// (or lockfile's) ecosystem, e.g. "Red Hat:enterprise_linux:9" or "Ubuntu:Pro:22.04:LTS"; an
// advisory's affected entry names the ecosystem its fix was published for. The rule is one, used
// where feeds keep records (`only`) and where correlation matches them, so a record kept at
// ingest is a record that can match, and the other way round.
#pragma once

#include <string_view>

namespace patchparty {

// "Debian" of "Debian:12", "Red Hat" of "Red Hat:enterprise_linux:9::appstream".
std::string_view ecosystem_base(std::string_view ecosystem);

// Whether an advisory published for `advisory` applies to a package of `package`:
// - the same name, or an advisory without a release ("Debian", "AlmaLinux") for the same base;
// - Packagist: whatever Composer repository the advisory names (the package name decides);
// - Red Hat: the host's CPE-derived stream followed by any repository
//   ("Red Hat:enterprise_linux:9" takes "…:9::baseos", "…:9::appstream", "…:9::crb");
// - Ubuntu Pro: a host attached to Pro ("Ubuntu:Pro:22.04:LTS") takes the release's own
//   ("Ubuntu:22.04:LTS") as well; a host not attached takes no "Ubuntu:Pro:…" record;
// - SUSE Linux Enterprise: a product ("SUSE:Linux Enterprise Server 15 SP5") takes the modules
//   of its own service pack ("SUSE:Linux Enterprise Module for Basesystem 15 SP5"), which is
//   where most of its packages come from; never another service pack's.
bool ecosystem_applies(std::string_view advisory, std::string_view package);

}  // namespace patchparty
