#include "collectors/inventory/path_patterns.h"

#include <glob.h>

#include <algorithm>
#include <memory>

#include "core/base/bounded_file.h"

namespace patchparty::inventory {

namespace {

bool has_wildcard(std::string_view s) {
  return s.find_first_of("*?[") != std::string_view::npos;
}

struct GlobFree {
  void operator()(glob_t* g) const noexcept { globfree(g); }
};

}  // namespace

std::vector<std::filesystem::path> expand_path_patterns(const std::filesystem::path& root,
                                                        const std::filesystem::path& base,
                                                        const std::vector<std::string>& patterns) {
  std::vector<std::filesystem::path> out;
  for (const auto& pattern : patterns) {
    std::filesystem::path p(pattern);
    const auto full = under_root(root, p.is_absolute() ? p : base / p).lexically_normal();
    if (!has_wildcard(pattern)) {
      out.push_back(full);
      continue;
    }
    glob_t g{};
    std::unique_ptr<glob_t, GlobFree> owned(&g);
    // GLOB_NOCHECK is not set: no match is an empty list, not the pattern itself.
    if (glob(full.c_str(), 0, nullptr, &g) != 0) continue;
    for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace patchparty::inventory
