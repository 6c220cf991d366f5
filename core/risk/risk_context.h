// Where software runs, as the configuration names it: the host's context, or a project's
// override. Values are kept as written so a value the config refuses still reaches the score
// (as the worst case) instead of disappearing.
#pragma once

#include <string>

namespace patchparty::risk {

// exposure internet|internal|isolated, criticality high|medium|low.
struct Context {
  std::string exposure;     // empty in a project: the host's
  std::string criticality;  // empty in a project: the host's
};

}  // namespace patchparty::risk
