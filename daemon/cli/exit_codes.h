// Exit codes shared by every patchparty subcommand (docs/cli.md "Exit codes").
#pragma once

namespace patchparty::cli {

inline constexpr int kExitOk = 0;        // done; nothing found; condition holds
inline constexpr int kExitNegative = 1;  // findings present; condition does not hold
inline constexpr int kExitError = 2;     // bad usage, invalid input or configuration, I/O error
// fleet commands: the answer lacks some hosts (down, slow, refused us); the rest is in it.
inline constexpr int kExitPartial = 3;

}  // namespace patchparty::cli
