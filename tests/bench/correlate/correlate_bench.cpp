// Correlation of a realistic host against a realistic advisory database: this machine's dpkg
// status (about 900 packages) plus 3,000 lockfile packages (the real lockfiles in the shared data,
// topped up with renamed copies), against 500,000 advisories made from real records (DSA/DLA list
// entries, FriendsOfPHP and Packagist OSV records, Node.js security WG npm advisories and OSV
// malicious-package reports) with renamed ids and package names. Names are drawn so that every
// installed package has advisories of its own among many that name other packages, as in a real
// feed. Goal: one correlation under 200 ms.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>

#include "collectors/feeds/debian_dsa_list.h"
#include "collectors/feeds/friendsofphp.h"
#include "collectors/feeds/osv_source.h"
#include "collectors/inventory/composer_lock.h"
#include "collectors/inventory/dpkg_status.h"
#include "collectors/inventory/package_lock.h"
#include "core/correlate/correlator.h"
#include "core/record/osv_record.h"
#include "core/record/osv_writer.h"
#include "core/store/advisory_lookup.h"
#include "core/store/advisory_tables.h"
#include "core/store/store.h"

namespace patchparty::correlate {
namespace {

namespace fs = std::filesystem;

constexpr int kAdvisories = 500'000;
constexpr std::size_t kLockfilePackages = 3000;

fs::path data(std::string_view rel) {
  return fs::path(PP_TEST_DATA_DIR) / rel;
}

struct Corpus {
  std::vector<Package> packages;
  fs::path state =
      fs::temp_directory_path() / ("patchparty-bench-corr-" + std::to_string(getpid()));
  std::optional<store::Store> store;
  std::int64_t advisories = 0;
  std::string error;
  ~Corpus() { fs::remove_all(state); }
};

// The Node.js security WG's npm advisories (node-semver ranges, not OSV) as the npm feed's
// vulnerability records: the OSV npm records in the shared data are mostly malicious-package
// reports, which name packages nobody has installed.
std::vector<Advisory> nodejs_wg_templates() {
  std::vector<Advisory> out;
  for (const auto& e : fs::directory_iterator(data("nodejs-security-wg"))) {
    if (e.path().extension() != ".json") continue;
    std::ifstream in(e.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    rapidjson::Document d;
    d.Parse(text.data(), text.size());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("vulnerable_versions") ||
        !d["vulnerable_versions"].IsString() || !d.HasMember("id"))
      continue;
    Advisory a;
    a.id = "NSWG-ECO-" + std::to_string(d["id"].GetInt());
    a.feed = "synthetic";
    if (d.HasMember("cves") && d["cves"].IsArray())
      for (const auto& c : d["cves"].GetArray())
        if (c.IsString()) a.aliases.emplace_back(c.GetString());
    if (d.HasMember("title") && d["title"].IsString()) a.summary = d["title"].GetString();
    if (d.HasMember("cvss_vector") && d["cvss_vector"].IsString() && d.HasMember("cvss_score") &&
        d["cvss_score"].IsNumber())
      a.severity.push_back(
          Severity{"CVSS_V3", d["cvss_vector"].GetString(), d["cvss_score"].GetDouble()});
    Affected af;
    af.ecosystem = "npm";
    af.native_ranges.emplace_back(d["vulnerable_versions"].GetString());
    a.affected.push_back(std::move(af));
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<Advisory> templates(std::string_view kind) {
  std::vector<Advisory> out;
  auto keep = [&](Advisory&& a) -> Result<> {
    if (!a.affected.empty()) out.push_back(std::move(a));
    return {};
  };
  if (kind == "debian") {
    for (const char* list : {"debian/DSA-list.txt", "debian/DLA-list.txt"})
      (void)feeds::read_dsa_list(data(list), {}, keep);
  } else if (kind == "npm") {
    out = nodejs_wg_templates();
  } else if (kind == "malicious") {
    (void)feeds::read_osv(data("osv/npm-malicious"), {}, keep);
  } else {
    (void)feeds::read_friendsofphp(data("friendsofphp"), {}, keep);
    (void)feeds::read_osv(data("osv/Packagist"), {}, keep);
  }
  return out;
}

Result<> build(Corpus& c) {
  // The host: this machine's dpkg database, as Debian 12.
  inventory::DpkgStatus dpkg("Debian:12");
  PP_TRY(host, dpkg.scan());
  c.packages = std::move(host);
  std::vector<Package> apps;
  for (const char* lock : {"lockfiles/osv-detector-1-package-lock.json"}) {
    inventory::PackageLock l(data(lock), "front");
    PP_TRY(p, l.scan());
    apps.insert(apps.end(), p.begin(), p.end());
  }
  for (const char* lock :
       {"lockfiles/osv-detector-1-composer.lock", "lockfiles/symfony-demo-v1.7.1-composer.lock"}) {
    inventory::ComposerLock l(data(lock), "shop");
    PP_TRY(p, l.scan());
    apps.insert(apps.end(), p.begin(), p.end());
  }
  for (std::size_t i = 0; apps.size() < kLockfilePackages; ++i) {
    Package p = apps[i];
    p.name += "-copy";
    p.project = "copies";
    apps.push_back(std::move(p));
  }
  apps.resize(kLockfilePackages);
  c.packages.insert(c.packages.end(), apps.begin(), apps.end());

  // Name pools: the inventory's own names among many others, so about one advisory in twenty
  // names an installed package (a real npm feed has ~20k advisories over ~10k packages).
  std::vector<std::string> debian_names, npm_names, packagist_names;
  std::set<std::string> seen;
  for (const auto& p : c.packages) {
    std::string name = advisory_lookup_name(p);
    if (!seen.insert(p.ecosystem + name).second) continue;
    auto& pool = p.ecosystem == "npm"         ? npm_names
                 : p.ecosystem == "Packagist" ? packagist_names
                                              : debian_names;
    pool.push_back(name);
  }
  const std::size_t installed_debian = debian_names.size(), installed_npm = npm_names.size(),
                    installed_php = packagist_names.size();
  for (int i = 0; i < 20000; ++i) debian_names.push_back("source-" + std::to_string(i));
  for (int i = 0; i < 30000; ++i) npm_names.push_back("npm-package-" + std::to_string(i));
  for (int i = 0; i < 20000; ++i) packagist_names.push_back("vendor/package-" + std::to_string(i));
  // Malicious-package reports name the malware itself: never an installed package.
  const std::vector<std::string> malware_names(npm_names.begin() + installed_npm, npm_names.end());

  const auto debian = templates("debian"), npm = templates("npm"), php = templates("packagist"),
             malicious = templates("malicious");
  if (debian.empty() || npm.empty() || php.empty() || malicious.empty())
    return fail(Errc::not_found, "no template records under " + data("").string());
  PP_TRY(store, store::Store::open(c.state));
  c.store.emplace(std::move(store));
  PP_TRY(refresh, store::FeedRefresh::begin(c.store->database(), "synthetic", "osv"));
  std::mt19937 rng(42);
  for (int i = 0; i < kAdvisories; ++i) {
    // Half Debian (a tracker holds every CVE of every source), 30% npm (a third of it malware
    // reports), 20% Packagist.
    int bucket = i % 10;
    const auto& pool = bucket < 5    ? debian_names
                       : bucket == 5 ? malware_names
                       : bucket < 8  ? npm_names
                                     : packagist_names;
    const auto& tmpl = bucket < 5 ? debian : bucket == 5 ? malicious : bucket < 8 ? npm : php;
    const std::string ecosystem = bucket < 5 ? "Debian:12" : bucket < 8 ? "npm" : "Packagist";
    Advisory a = tmpl[rng() % tmpl.size()];
    a.id += "-S" + std::to_string(i);
    a.osv_json.clear();
    const std::string& name = pool[rng() % pool.size()];
    for (auto& af : a.affected) {
      af.ecosystem = ecosystem;
      af.name = name;
    }
    PP_CHECK(refresh.add_advisory(a, feeds::to_osv_json(a)));
  }
  PP_CHECK(refresh.commit({}));
  PP_TRY(count, store::advisory_count(c.store->database()));
  c.advisories = count;
  std::fprintf(stderr,
               "corpus: %zu packages (%zu Debian sources, %zu npm, %zu Packagist names installed), "
               "%lld advisories\n",
               c.packages.size(), installed_debian, installed_npm, installed_php,
               static_cast<long long>(count));
  return {};
}

Corpus& corpus() {
  static Corpus c;
  static bool built = [] {
    if (auto r = build(c); !r) c.error = r.error().message;
    return true;
  }();
  (void)built;
  return c;
}

void BM_Correlate(benchmark::State& state) {
  Corpus& c = corpus();
  if (!c.error.empty()) return state.SkipWithError(c.error.c_str());
  std::size_t findings = 0, checked = 0;
  for (auto _ : state) {
    auto r = correlate(c.store->database(), c.packages, "bench-host");
    if (!r) return state.SkipWithError(r.error().message.c_str());
    findings = r->findings.size();
    checked = static_cast<std::size_t>(r->advisories_checked);
    benchmark::DoNotOptimize(r->findings.data());
  }
  state.counters["packages"] = static_cast<double>(c.packages.size());
  state.counters["advisories"] = static_cast<double>(c.advisories);
  state.counters["records_checked"] = static_cast<double>(checked);
  state.counters["findings"] = static_cast<double>(findings);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(c.packages.size()));
}
BENCHMARK(BM_Correlate)->Unit(benchmark::kMillisecond)->MinTime(3);

}  // namespace
}  // namespace patchparty::correlate

namespace patchparty::correlate {
namespace {

// Baselines for the ratios: the same lookups with nothing but SQLite, then with the JSON parse.
void BM_FetchOnly(benchmark::State& state) {
  Corpus& c = corpus();
  if (!c.error.empty()) return state.SkipWithError(c.error.c_str());
  std::size_t rows = 0;
  for (auto _ : state) {
    rows = 0;
    auto lookup = store::AdvisoryLookup::prepare(c.store->database());
    if (!lookup) return state.SkipWithError(lookup.error().message.c_str());
    std::set<std::string> done;
    for (const auto& p : c.packages) {
      std::string base = p.ecosystem.substr(0, p.ecosystem.find(':'));
      std::string name = advisory_lookup_name(p);
      if (!done.insert(base + '\0' + name).second) continue;
      auto r = lookup->records(base, name);
      if (!r) return state.SkipWithError(r.error().message.c_str());
      rows += r->size();
      if (state.range(0)) {
        for (const auto& json : *r) benchmark::DoNotOptimize(feeds::parse_osv_record(json));
      }
    }
  }
  state.counters["records"] = static_cast<double>(rows);
}
BENCHMARK(BM_FetchOnly)->Arg(0)->Arg(1)->ArgName("parse")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace patchparty::correlate

BENCHMARK_MAIN();
