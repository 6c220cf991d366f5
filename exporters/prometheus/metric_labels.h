// Label values the store-derived families share, so every family spells them alike.
#pragma once

#include <array>
#include <string>

#include "core/model/finding.h"
#include "exporters/backlog/backlog.h"

namespace patchparty::exporters {

inline constexpr std::array kSeverities = {SeverityLevel::unknown, SeverityLevel::low,
                                           SeverityLevel::medium, SeverityLevel::high,
                                           SeverityLevel::critical};
inline constexpr std::array kPriorities = {Priority::now, Priority::next, Priority::later};

inline std::string yes_no(bool b) {
  return b ? "true" : "false";
}

}  // namespace patchparty::exporters
