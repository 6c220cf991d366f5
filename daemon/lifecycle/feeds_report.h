// The feeds' state as tools read it (patchparty.feeds/v1): `patchparty feeds status --json` and
// GET /api/v1/feeds print the same document.
#pragma once

#include <span>
#include <string>

#include "core/store/advisory_tables.h"

namespace patchparty::lifecycle {

inline constexpr const char* kFeedsJsonSchema = "patchparty.feeds/v1";

std::string feed_statuses_json(std::span<const store::FeedStatus> statuses);

}  // namespace patchparty::lifecycle
