#include "collectors/feeds/builtin_feeds.h"

#include <mutex>

#include "collectors/feeds/alpine_secdb.h"
#include "collectors/feeds/configured_feed.h"
#include "collectors/feeds/debian_dsa_list.h"
#include "collectors/feeds/debian_tracker.h"
#include "collectors/feeds/epss.h"
#include "collectors/feeds/feed_kind.h"
#include "collectors/feeds/friendsofphp.h"
#include "collectors/feeds/kev.h"
#include "collectors/feeds/nvd_feed.h"
#include "collectors/feeds/osv_source.h"
#include "core/base/http_client.h"

namespace patchparty::feeds {

namespace {

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

// A feed name is a metric label and a file name: "Red Hat" becomes "red-hat".
std::string lower(std::string s) {
  for (auto& c : s)
    c = c == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

void register_builtin_feeds() {
  static std::once_flag once;
  std::call_once(once, [] {
    add_feed_kind(osv_feed_kind());
    add_feed_kind(debian_tracker_feed_kind());
    add_feed_kind(debian_dsa_list_feed_kind());
    add_feed_kind(alpine_secdb_feed_kind());
    add_feed_kind(friendsofphp_feed_kind());
    add_feed_kind(kev_feed_kind());
    add_feed_kind(epss_feed_kind());
    add_feed_kind(nvd_feed_kind());
  });
}

Result<std::unique_ptr<Feed>> make_feed(const config::FeedConfig& config) {
  if (const FeedFactory* make = find_feed_factory(config.kind)) {
    if (auto feed = (*make)(config)) return feed;
  }
  const FeedReader* read = find_feed_reader(config.kind);
  if (!read)
    return fail(Errc::invalid_argument,
                "feed " + config.name + ": kind '" + config.kind + "' has no reader");
  return std::unique_ptr<Feed>(std::make_unique<ConfiguredFeed>(config, *read));
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
    // The bucket's folders are the ecosystems' names, spaces included ("Red Hat/all.zip"). The
    // folder form syncs incrementally (osv_bucket_feed.h).
    auto f = feed("osv-" + lower(std::string(base)), "osv",
                  std::string(kOsvBucket) + url_escape(base) + "/", 6h);
    f.only = {std::string(host_ecosystem)};
    out.push_back(std::move(f));
  }
  for (const auto& eco : app_ecosystems) {
    out.push_back(
        feed("osv-" + lower(eco), "osv", std::string(kOsvBucket) + url_escape(eco) + "/", 6h));
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
