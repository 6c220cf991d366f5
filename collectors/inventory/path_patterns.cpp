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

// glob(3) follows links as the host sees them; a match is placed under the root again the way
// under_root resolves it, so a link in the image leads to the image's file, never the host's.
std::filesystem::path inside_root(const std::filesystem::path& root, const char* match) {
  if (root.empty() || root == "/") return match;
  const auto relative = std::filesystem::path(match).lexically_relative(root.lexically_normal());
  if (relative.empty() || *relative.begin() == "..") return match;  // not under it: cannot be
  return under_root(root, "/" / relative);
}

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
    for (std::size_t i = 0; i < g.gl_pathc; ++i) out.push_back(inside_root(root, g.gl_pathv[i]));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace patchparty::inventory
