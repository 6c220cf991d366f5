// One OSV record (https://ossf.github.io/osv-schema/) into an Advisory.
#pragma once

#include <string_view>

#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::feeds {

// data_loss when the bytes are not JSON (a cut or corrupt download: the refresh must fail);
// invalid_argument when the JSON breaks the OSV schema in a way that makes the record unusable
// (no id, a range without "introduced", an event with two kinds...): the feed skips and counts it.
[[nodiscard]] Result<Advisory> parse_osv_record(std::string_view json);

}  // namespace patchparty::feeds
