#include "collectors/feeds/zip_signature.h"

#include <cstdio>

#include "core/base/c_handles.h"

namespace patchparty::feeds {

bool is_zip(const std::filesystem::path& path) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) return false;
  char magic[4] = {0};
  return std::fread(magic, 1, 4, f.get()) == 4 && magic[0] == 'P' && magic[1] == 'K' &&
         magic[2] == 3 && magic[3] == 4;
}

}  // namespace patchparty::feeds
