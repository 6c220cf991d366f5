// The manual in docs/ names everything an operator can set or see: every key of the example
// configuration (commented-out examples included), every metric family the daemon serves or
// registers, and every HTTP route. A key, family or route that no page under docs/ mentions
// fails here, by name.
//
// A mention is the name as a whole word: `url` is not found inside `curl`, nor
// patchparty_restart_required inside patchparty_restart_required_units.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/support/loopback.h"
#include "tests/support/patchpartyd.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using testing::write_file;

const fs::path kSourceDir{PP_SOURCE_DIR};
// Where the daemon's code lives; a folder that does not exist (yet, or any more) is skipped.
constexpr std::string_view kSourceTrees[] = {"core", "daemon", "collectors", "exporters"};

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// `name` occurs in `text` as a whole word: where the name begins or ends with a letter, digit
// or '_', the neighbouring character is none of those ("/metrics" may follow "LISTEN").
bool mentions(std::string_view text, std::string_view name) {
  if (name.empty()) return false;
  for (auto pos = text.find(name); pos != std::string_view::npos; pos = text.find(name, pos + 1)) {
    const auto end = pos + name.size();
    const bool starts_clean =
        !is_word_char(name.front()) || pos == 0 || !is_word_char(text[pos - 1]);
    const bool ends_clean =
        !is_word_char(name.back()) || end == text.size() || !is_word_char(text[end]);
    if (starts_clean && ends_clean) return true;
  }
  return false;
}

// Every Markdown page under docs/, concatenated.
std::string docs_text() {
  const fs::path docs = kSourceDir / "docs";
  std::vector<fs::path> pages;
  if (fs::is_directory(docs))
    for (const auto& e : fs::recursive_directory_iterator(docs))
      if (e.is_regular_file() && e.path().extension() == ".md") pages.push_back(e.path());
  std::sort(pages.begin(), pages.end());
  std::string all;
  for (const auto& p : pages) all += read_text(p) + "\n";
  return all;
}

// The *.cpp and *.h files of the source trees that exist.
std::vector<fs::path> source_files() {
  std::vector<fs::path> files;
  for (auto tree : kSourceTrees) {
    const fs::path root = kSourceDir / tree;
    if (!fs::is_directory(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      const auto ext = e.path().extension();
      if (e.is_regular_file() && (ext == ".cpp" || ext == ".h")) files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Mapping keys at any depth, inside list items too, each with the line it is first on.
void collect_keys(const YAML::Node& node, std::map<std::string, int>& keys) {
  if (node.IsMap()) {
    for (const auto& kv : node) {
      keys.emplace(kv.first.as<std::string>(), kv.first.Mark().line + 1);
      collect_keys(kv.second, keys);
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) collect_keys(item, keys);
  }
}

// Keys of the commented-out examples ("#  - name: shop", "  #    # ca_file: ..."): what is left
// of a comment line once its '#'s are stripped, when it starts as a key does ("key:" then a
// space or the end, or "- key:"). Lower-case prose ("# Durations: ...") does not.
void collect_commented_keys(std::string_view yaml, std::map<std::string, int>& keys) {
  std::istringstream in{std::string(yaml)};
  int line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    std::string_view s = line;
    auto skip_blanks = [&s] {
      while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    };
    skip_blanks();
    if (s.empty() || s.front() != '#') continue;
    while (!s.empty() && s.front() == '#') {
      s.remove_prefix(1);
      skip_blanks();
    }
    if (s.starts_with("- ")) s.remove_prefix(2);
    if (s.empty() || !std::islower(static_cast<unsigned char>(s.front()))) continue;
    std::size_t n = 0;
    while (n < s.size() && (std::islower(static_cast<unsigned char>(s[n])) ||
                            std::isdigit(static_cast<unsigned char>(s[n])) || s[n] == '_'))
      ++n;
    if (n < s.size() && s[n] == ':' && (n + 1 == s.size() || s[n + 1] == ' '))
      keys.emplace(std::string(s.substr(0, n)), line_no);
  }
}

// The string literals "patchparty_..." in `source`: how metric families are named
// (BuildGauge().Name("patchparty_findings")).
std::set<std::string> metric_literals(std::string_view source) {
  std::set<std::string> names;
  constexpr std::string_view kOpen = "\"patchparty_";
  for (auto pos = source.find(kOpen); pos != std::string_view::npos;
       pos = source.find(kOpen, pos + 1)) {
    auto end = pos + 1;
    while (end < source.size() &&
           (std::islower(static_cast<unsigned char>(source[end])) ||
            std::isdigit(static_cast<unsigned char>(source[end])) || source[end] == '_'))
      ++end;
    if (end > pos + kOpen.size() && end < source.size() && source[end] == '"')
      names.insert(std::string(source.substr(pos + 1, end - pos - 1)));
  }
  return names;
}

// The paths of router.get("/...", ...) and router.post("/...", ...) calls in `source`.
std::set<std::string> route_literals(std::string_view source) {
  std::set<std::string> routes;
  for (std::string_view call : {".get(", ".post("}) {
    for (auto pos = source.find(call); pos != std::string_view::npos;
         pos = source.find(call, pos + 1)) {
      auto at = pos + call.size();
      while (at < source.size() && std::isspace(static_cast<unsigned char>(source[at]))) ++at;
      if (source.substr(at, 2) != "\"/") continue;
      const auto close = source.find('"', at + 1);
      if (close == std::string_view::npos) continue;
      routes.insert(std::string(source.substr(at + 1, close - at - 1)));
    }
  }
  return routes;
}

// `# TYPE name type` lines of a Prometheus text exposition: family name to type.
std::map<std::string, std::string> exposed_families(std::string_view body) {
  std::map<std::string, std::string> families;
  std::istringstream in{std::string(body)};
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("# TYPE ")) continue;
    std::istringstream fields(line.substr(7));
    std::string name, type;
    fields >> name >> type;
    if (!name.empty()) families[name] = type;
  }
  return families;
}

// Histogram and summary series (_bucket, _sum, _count) belong to their family: a literal
// that is one of those names, of a family known as a histogram or summary or named by
// another literal, is not a family of its own.
bool is_exposition_series(const std::string& name, const std::map<std::string, std::string>& types,
                          const std::set<std::string>& literals) {
  for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (!name.ends_with(suffix)) continue;
    const std::string stem = name.substr(0, name.size() - suffix.size());
    const auto t = types.find(stem);
    if ((t != types.end() && (t->second == "histogram" || t->second == "summary")) ||
        literals.count(stem))
      return true;
  }
  return false;
}

// patchpartyd on loopback with nothing to fetch: a two-package Debian host, no feeds.
class Daemon {
 public:
  Daemon()
      : dir_(testing::temp_dir("docs-coverage")),
        port_(testing::free_port()),
        process_(start(dir_, port_)) {}
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;
  ~Daemon() {
    process_.signal(SIGTERM);
    process_.wait(10s);
  }

  int port() const { return port_; }
  std::string err() const { return process_.err(); }

  // /metrics once it answers with families, after the first scan if that comes within 30 s.
  testing::HttpResponse metrics() {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    testing::HttpResponse r;
    while (std::chrono::steady_clock::now() < deadline) {
      r = testing::http_get(port_, "/metrics");
      if (r.status == 200 && r.body.find("# TYPE ") != std::string::npos &&
          testing::http_get(port_, "/readyz").status == 200)
        break;
      std::this_thread::sleep_for(100ms);
    }
    return r;
  }

 private:
  static testing::Subprocess start(const fs::path& dir, int port) {
    testing::write_bookworm_root(dir / "root");
    write_file(dir / "pp.yml", "listen: 127.0.0.1:" + std::to_string(port) +
                                   "\ninventory:\n  root: " + (dir / "root").string() +
                                   "\nfeeds: []\nrestart:\n  bus: none\n");
    return testing::start_patchpartyd(dir);
  }

  fs::path dir_;
  int port_;
  testing::Subprocess process_;
};

class DocsCoverage : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::is_directory(kSourceDir / "docs")) << kSourceDir / "docs";
    docs_ = docs_text();
    ASSERT_FALSE(docs_.empty()) << "no Markdown pages under " << kSourceDir / "docs";
  }
  std::string docs_;
};

TEST(DocsCoverageHelpers, MentionsWholeWordsOnly) {
  EXPECT_TRUE(mentions("the `url` key", "url"));
  EXPECT_TRUE(mentions("url: x", "url"));
  EXPECT_FALSE(mentions("run curl -s", "url"));
  EXPECT_FALSE(mentions("urls", "url"));
  EXPECT_TRUE(mentions("http://LISTEN/metrics", "/metrics"));
  EXPECT_FALSE(mentions("/metrics_x", "/metrics"));
  EXPECT_FALSE(mentions("patchparty_restart_required_units", "patchparty_restart_required"));
  EXPECT_TRUE(mentions("patchparty_restart_required{unit}", "patchparty_restart_required"));
}

TEST(DocsCoverageHelpers, FindsCommentedOutKeys) {
  std::map<std::string, int> keys;
  collect_commented_keys(
      "# Durations: 500ms, 30s\n#feeds:\n#  - kind: osv\n  #    # ca_file: /x\n"
      "# (see README): prose\nplain: 1\n#  - http://127.0.0.1:9093\n",
      keys);
  EXPECT_EQ(keys, (std::map<std::string, int>{{"feeds", 2}, {"kind", 3}, {"ca_file", 4}}));
}

TEST(DocsCoverageHelpers, FindsMetricNamesAndRoutes) {
  EXPECT_EQ(metric_literals(R"(.Name("patchparty_findings") "patchparty_" x "patchparty_a b")"),
            (std::set<std::string>{"patchparty_findings"}));
  EXPECT_EQ(route_literals("router.get(\"/healthz\", h);\n router.post(\n \"/api/v1/scan\", h);"
                           " m.get(\"key\");"),
            (std::set<std::string>{"/healthz", "/api/v1/scan"}));
}

TEST_F(DocsCoverage, EveryExampleConfigurationKeyIsDocumented) {
  const fs::path example = kSourceDir / "config/patchparty.example.yml";
  const std::string yaml = read_text(example);
  ASSERT_FALSE(yaml.empty()) << example;
  std::map<std::string, int> keys;
  try {
    collect_keys(YAML::Load(yaml), keys);
  } catch (const YAML::Exception& e) {
    FAIL() << example << ": " << e.what();
  }
  ASSERT_FALSE(keys.empty()) << example << " has no keys";
  collect_commented_keys(yaml, keys);
  for (const auto& [key, line] : keys)
    EXPECT_TRUE(mentions(docs_, key)) << "config/patchparty.example.yml:" << line << ": key `"
                                      << key << "` is not mentioned in docs/";
}

TEST_F(DocsCoverage, EveryMetricFamilyIsDocumented) {
  Daemon daemon;
  const auto scrape = daemon.metrics();
  ASSERT_EQ(scrape.status, 200) << daemon.err();
  const auto served = exposed_families(scrape.body);
  ASSERT_TRUE(served.count("patchparty_build_info")) << scrape.body;

  // Families with no series under this configuration (health checks, rollbacks, per-finding
  // info) are not served, but their names are in the code that registers them.
  std::set<std::string> literals;
  for (const auto& file : source_files()) literals.merge(metric_literals(read_text(file)));
  ASSERT_FALSE(literals.empty()) << "no \"patchparty_...\" literals under " << kSourceDir;

  std::map<std::string, std::string> families;  // name -> where it was found
  for (const auto& [name, type] : served) families.emplace(name, "served on /metrics");
  for (const auto& name : literals)
    if (!is_exposition_series(name, served, literals))
      families.emplace(name, "named in the source");
  // A family served but not found in the source means the source scan has gone blind.
  for (const auto& [name, type] : served)
    EXPECT_TRUE(literals.count(name))
        << "metric family " << name << " is served but no \"" << name << "\" literal was found in "
        << "core/, daemon/, collectors/ or exporters/: the scan in this test needs updating";

  for (const auto& [name, where] : families) {
    const auto type = served.find(name);
    const bool counter_without_total =
        type != served.end() && type->second == "counter" && !name.ends_with("_total");
    EXPECT_TRUE(mentions(docs_, name) ||
                (counter_without_total && mentions(docs_, name + "_total")))
        << "metric family " << name << " (" << where << ") is not mentioned in docs/";
  }
}

TEST_F(DocsCoverage, EveryHttpRouteIsDocumented) {
  std::map<std::string, std::string> routes;  // path -> the file that registers it
  for (const auto& file : source_files())
    for (const auto& route : route_literals(read_text(file)))
      routes.emplace(route, fs::relative(file, kSourceDir).string());
  ASSERT_TRUE(routes.count("/metrics")) << "the route scan found no /metrics";

  // Each route found in the source is one the daemon answers (405 for another method is an
  // answer): the scan reads registrations, not any string that starts with '/'.
  Daemon daemon;
  ASSERT_EQ(daemon.metrics().status, 200) << daemon.err();
  for (const auto& [route, file] : routes) {
    const auto r = testing::http_get(daemon.port(), route);
    EXPECT_NE(r.status, 404) << route << " (" << file << ") is not served by patchpartyd";
    EXPECT_NE(r.status, 0) << route << ": no answer";
    EXPECT_TRUE(mentions(docs_, route))
        << "HTTP route " << route << " (registered in " << file << ") is not mentioned in docs/";
  }
}

}  // namespace
}  // namespace patchparty
