// Bearer tokens kept in files (api.token_file, api.read_token_file, fleet.token_file): read once,
// checked so that a token that could never match a header value is refused at start.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace patchparty {

// The file's content without surrounding whitespace (editors add a final newline).
// invalid_argument when it is empty or holds a control character or space inside; the error
// names `setting` and the file, never the content.
[[nodiscard]] Result<std::string> read_token_file(const std::filesystem::path& file,
                                                  std::string_view setting = "api.token_file");

}  // namespace patchparty
