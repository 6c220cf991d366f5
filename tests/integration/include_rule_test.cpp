// The layering of docs/architecture.md, checked on the tree itself: every #include and every
// pp_module() link in CMakeLists.txt must point down (or sideways within a layer that allows it).
//
//   core/        includes only core/
//   config/      core/ and config/
//   collectors/  core/, config/ and collectors/
//   exporters/   core/, config/ and exporters/
//   daemon/      anything: the only place that wires the others together
//
// And the link graph says the same as the includes: a file of one module that includes a header
// of another module links that module, directly or through the modules it links.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace patchparty {
namespace {

namespace fs = std::filesystem;

const std::map<std::string, std::set<std::string>> kAllowed = {
    {"core", {"core"}},
    {"config", {"core", "config"}},
    {"collectors", {"core", "config", "collectors"}},
    {"exporters", {"core", "config", "exporters"}},
    {"daemon", {"core", "config", "collectors", "exporters", "daemon"}},
};

std::string layer_of(const std::string& path) {
  return path.substr(0, path.find('/'));
}

std::string dir_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

// "core/base/result.h" from "core/base/x.cpp" including "core/base/result.h" is not a crossing.
std::vector<std::string> layer_violations(const std::string& file,
                                          const std::vector<std::string>& includes) {
  std::vector<std::string> out;
  const auto allowed = kAllowed.find(layer_of(file));
  if (allowed == kAllowed.end()) return out;
  for (const auto& inc : includes) {
    const std::string to = layer_of(inc);
    if (!kAllowed.count(to)) continue;  // third-party or tests/support
    if (!allowed->second.count(to)) out.push_back(file + " includes " + inc);
  }
  return out;
}

struct Module {
  std::string dir;
  std::vector<std::string> links;  // other pp_ modules named on its pp_module() line
};

// pp_module(NAME DIR DEPS...) calls, possibly over several lines.
std::map<std::string, Module> parse_modules(const std::string& cmake) {
  std::map<std::string, Module> modules;
  static const std::regex call(R"(pp_module\(\s*(pp_\w+)\s+([\w/]+)([^)]*)\))");
  static const std::regex dep(R"(pp_\w+)");
  for (auto it = std::sregex_iterator(cmake.begin(), cmake.end(), call);
       it != std::sregex_iterator(); ++it) {
    Module m{(*it)[2].str(), {}};
    const std::string deps = (*it)[3].str();
    for (auto d = std::sregex_iterator(deps.begin(), deps.end(), dep); d != std::sregex_iterator();
         ++d)
      m.links.push_back(d->str());
    modules[(*it)[1].str()] = m;
  }
  return modules;
}

std::set<std::string> closure(const std::map<std::string, Module>& modules,
                              const std::string& name) {
  std::set<std::string> seen;
  std::vector<std::string> todo{name};
  while (!todo.empty()) {
    const std::string n = todo.back();
    todo.pop_back();
    if (!seen.insert(n).second) continue;
    if (auto it = modules.find(n); it != modules.end())
      for (const auto& l : it->second.links) todo.push_back(l);
  }
  return seen;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> quoted_includes(const std::string& text) {
  static const std::regex inc(R"re(^\s*#\s*include\s+"([^"]+)")re");
  std::vector<std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, inc)) out.push_back(m[1].str());
  }
  return out;
}

// Every .h/.cpp under the layered folders, as a path relative to the source root.
std::map<std::string, std::vector<std::string>> source_includes(const fs::path& root) {
  std::map<std::string, std::vector<std::string>> files;
  for (const auto& [layer, allowed] : kAllowed) {
    if (!fs::exists(root / layer)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root / layer)) {
      const auto ext = e.path().extension();
      if (!e.is_regular_file() || (ext != ".h" && ext != ".cpp")) continue;
      files[fs::relative(e.path(), root).generic_string()] = quoted_includes(read_file(e.path()));
    }
  }
  return files;
}

TEST(IncludeRule, FlagsEveryForbiddenDirection) {
  EXPECT_EQ(layer_violations("core/risk/risk_score.h", {"config/config.h"}).size(), 1u);
  EXPECT_EQ(layer_violations("config/config.cpp", {"daemon/lifecycle/daemon.h"}).size(), 1u);
  EXPECT_EQ(layer_violations("collectors/health/x.h", {"exporters/prometheus/metrics.h"}).size(),
            1u);
  EXPECT_EQ(layer_violations("exporters/prometheus/metrics.cpp", {"collectors/restart/x.h"}).size(),
            1u);
  EXPECT_TRUE(layer_violations("daemon/lifecycle/daemon.cpp",
                               {"collectors/health/x.h", "exporters/http/router.h"})
                  .empty());
  EXPECT_TRUE(layer_violations("collectors/feeds/osv_source.cpp",
                               {"core/record/osv_record.h", "config/config.h", "tests/x.h"})
                  .empty());
}

TEST(IncludeRule, ParsesModulesOverSeveralLines) {
  const auto m = parse_modules(
      "pp_module(pp_a core/a pp_b yaml-cpp)\npp_module(pp_b core/b\n   pp_c)\n"
      "pp_module(pp_c core/c Threads::Threads)\n");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m.at("pp_b").dir, "core/b");
  EXPECT_EQ(closure(m, "pp_a"), (std::set<std::string>{"pp_a", "pp_b", "pp_c"}));
  EXPECT_EQ(closure(m, "pp_c"), (std::set<std::string>{"pp_c"}));
}

TEST(IncludeRule, EveryIncludeInTheTreePointsDown) {
  const fs::path root = PP_SOURCE_DIR;
  const auto files = source_includes(root);
  ASSERT_GT(files.size(), 100u) << "the tree was not found under " << root;
  std::vector<std::string> bad;
  for (const auto& [file, includes] : files)
    for (auto& v : layer_violations(file, includes)) bad.push_back(v);
  for (const auto& b : bad) ADD_FAILURE() << b;
  EXPECT_TRUE(fs::exists(root / "core")) << "core/ is the ground floor";
}

TEST(IncludeRule, LinkGraphMatchesTheIncludes) {
  const fs::path root = PP_SOURCE_DIR;
  const auto modules = parse_modules(read_file(root / "CMakeLists.txt"));
  ASSERT_GT(modules.size(), 10u);
  std::map<std::string, std::string> module_of_dir;
  for (const auto& [name, m] : modules) module_of_dir[m.dir] = name;

  // The link graph obeys the layers too.
  for (const auto& [name, m] : modules)
    for (const auto& l : m.links) {
      ASSERT_TRUE(modules.count(l)) << name << " links unknown module " << l;
      EXPECT_TRUE(kAllowed.at(layer_of(m.dir)).count(layer_of(modules.at(l).dir)))
          << name << " (" << m.dir << ") links " << l << " (" << modules.at(l).dir << ")";
    }

  // Every source file belongs to a module, and each module links what its files include.
  for (const auto& [file, includes] : source_includes(root)) {
    if (file.rfind("daemon/main/", 0) == 0) continue;  // the executables link everything
    const auto own = module_of_dir.find(dir_of(file));
    ASSERT_NE(own, module_of_dir.end()) << file << " is in no pp_module() folder";
    const auto reach = closure(modules, own->second);
    for (const auto& inc : includes) {
      const auto target = module_of_dir.find(dir_of(inc));
      if (target == module_of_dir.end()) continue;  // third-party or tests/support
      EXPECT_TRUE(reach.count(target->second))
          << file << " includes " << inc << " but " << own->second << " does not link "
          << target->second;
    }
  }
}

}  // namespace
}  // namespace patchparty
