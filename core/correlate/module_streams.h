// RHEL 8 and later ship some packages both as a default build and as module streams (ruby:3.1,
// ruby:3.3) under the same name. Which stream a build belongs to is not in its version: the
// installed header says it (MODULARITYLABEL, Package::module_stream), and Red Hat and its
// rebuilds name the stream an advisory fixes in its summary ("Moderate: perl:5.32 security
// update"). A fix for one stream says nothing about another, so such pairs are not compared.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/model.h"

namespace patchparty::correlate {

// ".module+el9.4.0+…" (Red Hat, Rocky) or ".module_el8…" (AlmaLinux) in the release.
bool is_module_build(std::string_view rpm_version);

// Every "module:stream" word of an advisory's summary: "python39:3.9" from "Red Hat Security
// Advisory: python39:3.9 security update"; "Moderate:" names none.
std::vector<std::string> advisory_module_streams(std::string_view summary);

// Why the installed `version` of `p` and the fixes `af` of advisory `a` are not compared, or
// none when they are:
//  - a module build against a non-module fix, or the other way round;
//  - two module builds whose streams differ: the installed header names its stream and the
//    advisory names the streams it fixes, none of them that one.
// Two module builds compare when either side does not name its stream.
std::optional<std::string> stream_mismatch(const Package& p, std::string_view version,
                                           const Advisory& a, const Affected& af);

}  // namespace patchparty::correlate
