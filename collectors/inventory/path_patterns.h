// Paths an operator names by pattern: a project's Go binaries ("bin/*"), the site-packages of
// every Python installed under /usr/local ("/usr/local/lib/python3*/site-packages").
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace patchparty::inventory {

// Each pattern, relative to `base` or absolute, taken under `root` (under_root) and expanded
// with glob(3) rules ('*', '?', '[...]'; a leading '.' is matched only explicitly), in sorted
// order, each path once. A pattern without wildcards is kept whether or not it exists, so a
// named file that is missing becomes its source's error; a pattern with wildcards that matches
// nothing yields nothing. Every path is resolved under the root as under_root resolves it:
// a match reached through a link in the image is the image's file.
std::vector<std::filesystem::path> expand_path_patterns(const std::filesystem::path& root,
                                                        const std::filesystem::path& base,
                                                        const std::vector<std::string>& patterns);

}  // namespace patchparty::inventory
