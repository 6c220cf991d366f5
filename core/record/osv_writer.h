// An Advisory as OSV JSON: the form the store keeps every feed's records in, so one parser
// (parse_osv_record) reads them all back. What OSV cannot say (the tracker's fix status, native
// npm/Composer ranges, the feed) goes under "database_specific": {"patchparty": {...}}.
#pragma once

#include <string>

#include "core/model/finding.h"
#include "core/model/model.h"

namespace patchparty::feeds {

std::string to_osv_json(const Advisory& advisory);

// fix_status_name and fix_status_from_name live in core/model/finding.h: the store names statuses
// too.

}  // namespace patchparty::feeds
