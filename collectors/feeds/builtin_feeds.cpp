#include "collectors/feeds/builtin_feeds.h"

#include <map>

#include "collectors/feeds/alpine_secdb.h"
#include "collectors/feeds/configured_feed.h"
#include "collectors/feeds/debian_dsa_list.h"
#include "collectors/feeds/debian_releases.h"
#include "collectors/feeds/debian_tracker.h"
#include "collectors/feeds/epss.h"
#include "collectors/feeds/friendsofphp.h"
#include "collectors/feeds/kev.h"
#include "collectors/feeds/osv_source.h"

namespace patchparty::feeds {

namespace {

ReadStats from_osv(const OsvReadStats& s) {
  return ReadStats{s.records, s.skipped, s.skipped_examples};
}

Result<ReadStats> read_osv_feed(const FetchResult& f, const config::FeedConfig& c,
                                const FeedSinks& sinks) {
  OsvReadOptions o;
  o.only_ecosystems = c.only;
  o.progress = sinks.progress;
  PP_TRY(stats, read_osv(f.path, o, sinks.advisory));
  return from_osv(stats);
}

// `only` may name Debian releases by codename ("bookworm") or OSV ecosystem ("Debian:12").
std::vector<std::string> debian_codenames(const std::vector<std::string>& only) {
  static constexpr std::string_view kCodenames[] = {
      "buzz",   "rex",      "bo",       "hamm",    "slink",  "potato", "woody",
      "sarge",  "etch",     "lenny",    "squeeze", "wheezy", "jessie", "stretch",
      "buster", "bullseye", "bookworm", "trixie",  "forky",  "duke",   "sid"};
  std::vector<std::string> out;
  for (const auto& o : only) {
    bool mapped = false;
    for (auto c : kCodenames) {
      if (debian_ecosystem(c) == o) {
        out.emplace_back(c);
        mapped = true;
      }
    }
    if (!mapped) out.push_back(o);
  }
  return out;
}

Result<ReadStats> read_tracker_feed(const FetchResult& f, const config::FeedConfig& c,
                                    const FeedSinks& sinks) {
  DebianTrackerOptions o;
  o.releases = debian_codenames(c.only);
  o.progress = sinks.progress;
  PP_TRY(s, read_debian_tracker(f.path, o, sinks.advisory));
  return ReadStats{s.records, s.skipped + s.empty, s.skipped_examples};
}

Result<ReadStats> read_dsa_list_feed(const FetchResult& f, const config::FeedConfig& c,
                                     const FeedSinks& sinks) {
  DsaListOptions o;
  o.releases = debian_codenames(c.only);
  o.progress = sinks.progress;
  PP_TRY(s, read_dsa_list(f.path, o, sinks.advisory));
  return ReadStats{s.records, s.skipped, s.skipped_examples};
}

Result<ReadStats> read_alpine_feed(const FetchResult& f, const config::FeedConfig&,
                                   const FeedSinks& sinks) {
  PP_TRY(s, read_alpine_secdb(f.path, sinks.advisory));
  return ReadStats{s.records, s.skipped, s.skipped_examples};
}

Result<ReadStats> read_friendsofphp_feed(const FetchResult& f, const config::FeedConfig&,
                                         const FeedSinks& sinks) {
  FriendsOfPhpReadOptions o;
  o.progress = sinks.progress;
  PP_TRY(s, read_friendsofphp(f.path, o, sinks.advisory));
  return ReadStats{s.advisories, s.skipped, s.skipped_examples};
}

Result<ReadStats> read_kev_feed(const FetchResult& f, const config::FeedConfig&,
                                const FeedSinks& sinks) {
  PP_TRY(catalog, read_kev(f.path, sinks.kev));
  return ReadStats{catalog.count, 0, {}};
}

Result<ReadStats> read_epss_feed(const FetchResult& f, const config::FeedConfig&,
                                 const FeedSinks& sinks) {
  PP_TRY(s, read_epss(f.path, sinks.epss));
  return ReadStats{s.rows, 0, {}};
}

const std::map<std::string, FeedReader, std::less<>>& readers() {
  static const std::map<std::string, FeedReader, std::less<>> table{
      {"osv", read_osv_feed},
      {"debian-tracker", read_tracker_feed},
      {"debian-dsa-list", read_dsa_list_feed},
      {"alpine-secdb", read_alpine_feed},
      {"friendsofphp", read_friendsofphp_feed},
      {"kev", read_kev_feed},
      {"epss", read_epss_feed},
  };
  return table;
}

constexpr std::string_view kOsvBucket = "https://osv-vulnerabilities.storage.googleapis.com/";

config::FeedConfig feed(std::string name, std::string kind, std::string url,
                        std::chrono::milliseconds interval) {
  config::FeedConfig f;
  f.name = std::move(name);
  f.kind = std::move(kind);
  f.url = std::move(url);
  f.interval = interval;
  return f;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Result<std::unique_ptr<Feed>> make_feed(const config::FeedConfig& config) {
  auto it = readers().find(config.kind);
  if (it == readers().end())
    return fail(Errc::invalid_argument,
                "feed " + config.name + ": kind '" + config.kind + "' has no reader");
  return std::unique_ptr<Feed>(std::make_unique<ConfiguredFeed>(config, it->second));
}

Result<std::vector<std::unique_ptr<Feed>>> make_feeds(std::span<const config::FeedConfig> configs) {
  std::vector<std::unique_ptr<Feed>> out;
  for (const auto& c : configs) {
    if (!c.enabled) continue;
    PP_TRY(f, make_feed(c));
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<config::FeedConfig> default_feeds(std::string_view host_ecosystem,
                                              const std::set<std::string>& app_ecosystems) {
  using namespace std::chrono_literals;
  std::vector<config::FeedConfig> out;
  std::string_view base = host_ecosystem.substr(0, host_ecosystem.find(':'));
  std::string_view release = host_ecosystem.find(':') == std::string_view::npos
                                 ? ""
                                 : host_ecosystem.substr(base.size() + 1);
  if (base == "Debian") {
    // The tracker knows no-dsa/postponed/end-of-life, which OSV's Debian records leave out.
    auto f = feed("debian-tracker", "debian-tracker",
                  "https://security-tracker.debian.org/tracker/data/json", 6h);
    if (!release.empty()) f.only = {std::string(host_ecosystem)};
    out.push_back(std::move(f));
  } else if (base == "Alpine" && !release.empty()) {
    for (std::string repo : {"main", "community"}) {
      out.push_back(
          feed("alpine-secdb-" + repo, "alpine-secdb",
               "https://secdb.alpinelinux.org/" + std::string(release) + "/" + repo + ".json", 6h));
    }
  } else if (!base.empty()) {
    auto f = feed("osv-" + lower(std::string(base)), "osv",
                  std::string(kOsvBucket) + std::string(base) + "/all.zip", 6h);
    f.only = {std::string(host_ecosystem)};
    out.push_back(std::move(f));
  }
  for (const auto& eco : app_ecosystems) {
    out.push_back(feed("osv-" + lower(eco), "osv", std::string(kOsvBucket) + eco + "/all.zip", 6h));
    if (eco == "Packagist")
      out.push_back(feed("friendsofphp", "friendsofphp",
                         "https://github.com/FriendsOfPHP/security-advisories/archive/refs/heads/"
                         "master.zip",
                         6h));
  }
  out.push_back(feed("kev", "kev",
                     "https://www.cisa.gov/sites/default/files/feeds/"
                     "known_exploited_vulnerabilities.json",
                     24h));
  out.push_back(
      feed("epss", "epss", "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz", 24h));
  return out;
}

}  // namespace patchparty::feeds
