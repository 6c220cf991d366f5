// TOML lockfiles (poetry.lock, uv.lock, pdm.lock, pylock.toml, Cargo.lock) parsed with toml++,
// with the guard toml++ lacks.
#pragma once

#include <toml++/toml.h>

#include <string_view>

#include "core/base/result.h"

namespace patchparty::inventory {

// The TOML front end of the lockfile readers. toml++ caps nested arrays and inline tables
// at 256 levels, but not dotted keys: "[a.a.a...]" with 100 000 parts builds tables that deep,
// and freeing them recursively overflows the stack. A line with more than 64 dots outside
// strings and comments is therefore refused (invalid_argument) before parsing; real lockfiles
// have a handful. Syntax errors are data_loss naming `label`, line and column.
[[nodiscard]] Result<toml::table> parse_lock_toml(std::string_view text, std::string_view label);

// The `[metadata]` table's `key` ("lock-version" in poetry.lock, "lock_version" in pdm.lock),
// when present, must be a string whose major is `first` or `first + 1`: a table or key of another
// type is invalid_argument, another major failed_precondition ("(3.x and 4.x are)").
[[nodiscard]] Result<> check_metadata_lock_version(const toml::table& doc, std::string_view key,
                                                   long first, std::string_view label);

// The major number of a lockfile version: "4.4.1" -> 4, "2" -> 2; -1 for anything else.
long lock_version_major(std::string_view version);

}  // namespace patchparty::inventory
