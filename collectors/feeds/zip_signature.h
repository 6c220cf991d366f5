// Whether a downloaded feed is a zip archive, by its first bytes rather than its name: feeds come
// from URLs and file: paths whose names need not end in .zip.
#pragma once

#include <filesystem>

namespace patchparty::feeds {

// True when `path` starts with the local file header signature "PK\3\4"; false for anything
// else, including a file that cannot be opened (the reader that follows reports that).
bool is_zip(const std::filesystem::path& path);

}  // namespace patchparty::feeds
