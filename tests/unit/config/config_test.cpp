#include "config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/test_data.h"

// Only to fill config/'s kind catalogs, as both executables do at start-up.
#include "collectors/feeds/builtin_feeds.h"
#include "collectors/health/builtin_checks.h"

namespace patchparty::config {
namespace {

using ::testing::HasSubstr;

[[maybe_unused]] const bool kKindsRegistered = [] {
  feeds::register_builtin_feeds();
  health::register_builtin_checks();
  return true;
}();

TEST(Config, EmptyDocumentGivesDefaults) {
  auto c = parse_config("", "empty.yml");
  ASSERT_OK(c);
  EXPECT_EQ(c->state_dir, "/var/lib/patchparty");
  EXPECT_EQ(c->listen, "127.0.0.1:9877");
  EXPECT_EQ(c->inventory.interval, std::chrono::hours(1));
  EXPECT_EQ(c->inventory.dpkg.enabled, Toggle::automatic);
}

TEST(Config, ExampleFileParsesToTheDefaults) {
  // The example documents every key with its default: parsing it must change nothing.
  auto c = load_config_file(std::filesystem::path(PP_SOURCE_DIR) / "config/patchparty.example.yml");
  ASSERT_OK(c);
  Config d = default_config();
  EXPECT_EQ(c->state_dir, d.state_dir);
  EXPECT_EQ(c->log_level, d.log_level);
  EXPECT_EQ(c->listen, d.listen);
  EXPECT_EQ(c->host_name, d.host_name);
  EXPECT_EQ(c->jitter, d.jitter);
  EXPECT_EQ(c->shutdown_timeout, d.shutdown_timeout);
  EXPECT_EQ(c->inventory.interval, d.inventory.interval);
  EXPECT_EQ(c->inventory.root, d.inventory.root);
  EXPECT_EQ(c->inventory.os_release, d.inventory.os_release);
  EXPECT_EQ(c->inventory.dpkg.path, d.inventory.dpkg.path);
  EXPECT_EQ(c->inventory.dpkg_status_dir, d.inventory.dpkg_status_dir);
  EXPECT_EQ(c->inventory.dpkg_apt_lists, d.inventory.dpkg_apt_lists);
  EXPECT_EQ(c->inventory.dpkg_distribution_origins, d.inventory.dpkg_distribution_origins);
  EXPECT_EQ(c->inventory.rpm.path, d.inventory.rpm.path);
  EXPECT_EQ(c->inventory.apk.path, d.inventory.apk.path);
  EXPECT_EQ(c->inventory.max_file_bytes, d.inventory.max_file_bytes);
  EXPECT_EQ(c->inventory.snapshots_kept, d.inventory.snapshots_kept);
  EXPECT_EQ(c->inventory.dpkg_log.enabled, d.inventory.dpkg_log.enabled);
  EXPECT_EQ(c->inventory.dpkg_log.path, d.inventory.dpkg_log.path);
  EXPECT_EQ(c->inventory.dpkg_log.interval, d.inventory.dpkg_log.interval);
  EXPECT_TRUE(c->projects.empty());
  EXPECT_EQ(c->metrics.per_finding, d.metrics.per_finding);
  EXPECT_EQ(c->metrics.per_finding_limit, d.metrics.per_finding_limit);
  EXPECT_EQ(c->api.token_file, d.api.token_file);
  EXPECT_EQ(c->api.max_body_bytes, d.api.max_body_bytes);
  EXPECT_EQ(c->alerting.alertmanagers, d.alerting.alertmanagers);
  EXPECT_EQ(c->alerting.resend_interval, d.alerting.resend_interval);
  EXPECT_EQ(c->alerting.timeout, d.alerting.timeout);
  EXPECT_EQ(c->alerting.rules.kev, d.alerting.rules.kev);
  EXPECT_EQ(c->alerting.rules.critical_with_fix, d.alerting.rules.critical_with_fix);
  EXPECT_EQ(c->alerting.rules.min_risk, d.alerting.rules.min_risk);
}

TEST(Config, ReadsEveryKind) {
  auto c = parse_config(R"(
state_dir: /tmp/pp
inventory:
  interval: 1h30m
  dpkg: {enabled: false}
  rpm: {enabled: true, database: /x/rpmdb.sqlite}
projects:
  - name: shop
    path: /srv/shop
    lockfiles: [composer.lock]
)",
                        "t.yml");
  ASSERT_OK(c);
  EXPECT_EQ(c->state_dir, "/tmp/pp");
  EXPECT_EQ(c->inventory.interval, std::chrono::minutes(90));
  EXPECT_EQ(c->inventory.dpkg.enabled, Toggle::off);
  EXPECT_EQ(c->inventory.rpm.enabled, Toggle::on);
  EXPECT_EQ(c->inventory.rpm.path, "/x/rpmdb.sqlite");
  ASSERT_EQ(c->projects.size(), 1u);
  EXPECT_EQ(c->projects[0].name, "shop");
  EXPECT_EQ(c->projects[0].lockfiles, std::vector<std::string>{"composer.lock"});
}

TEST(Config, RpmDatabaseIsSearchedUnlessAPathIsGiven) {
  EXPECT_TRUE(Config{}.inventory.rpm.path.empty()) << "the default searches rpm's locations";
  for (const char* yaml : {"inventory:\n  rpm: {enabled: false}\n",
                           "inventory:\n  rpm: {database: auto}\n", "inventory:\n  rpm:\n"}) {
    SCOPED_TRACE(yaml);
    auto c = parse_config(yaml, "t.yml");
    ASSERT_OK(c);
    EXPECT_TRUE(c->inventory.rpm.path.empty());
  }
  auto given = parse_config("inventory:\n  rpm: {database: /var/lib/rpm/Packages}\n", "t.yml");
  ASSERT_OK(given);
  EXPECT_EQ(given->inventory.rpm.path, "/var/lib/rpm/Packages");
  EXPECT_FALSE(parse_config("inventory:\n  rpm: {database: Packages}\n", "t.yml").has_value());
  // "auto" is the rpm database's word only.
  EXPECT_FALSE(parse_config("inventory:\n  apk: {installed: auto}\n", "t.yml").has_value());
}

TEST(Config, AptListsAreReadUnlessSwitchedOff) {
  EXPECT_EQ(Config{}.inventory.dpkg_apt_lists, "/var/lib/apt/lists");
  auto off = parse_config("inventory:\n  dpkg: {apt_lists: \"\"}\n", "t.yml");
  ASSERT_OK(off);
  EXPECT_TRUE(off->inventory.dpkg_apt_lists.empty());
  auto given = parse_config(
      "inventory:\n  dpkg:\n    apt_lists: /srv/mirror/lists\n    distribution_origins: [Debian, "
      "\"Example Corp\"]\n",
      "t.yml");
  ASSERT_OK(given);
  EXPECT_EQ(given->inventory.dpkg_apt_lists, "/srv/mirror/lists");
  EXPECT_EQ(given->inventory.dpkg_distribution_origins,
            (std::vector<std::string>{"Debian", "Example Corp"}));
  EXPECT_FALSE(parse_config("inventory:\n  dpkg: {apt_lists: lists}\n", "t.yml").has_value());
  EXPECT_FALSE(
      parse_config("inventory:\n  dpkg: {distribution_origins: Debian}\n", "t.yml").has_value());
}

TEST(Config, UnknownKeyNamesFileLineColumnAndPath) {
  auto c = parse_config("inventory:\n  interval: 1h\n  intreval: 2h\n", "my.yml");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, Errc::invalid_argument);
  EXPECT_THAT(c.error().message, HasSubstr("my.yml:3:3: inventory.intreval: unknown key"));
}

TEST(Config, WrongTypeIsReported) {
  auto c = parse_config("jitter: lots\n", "t.yml");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message, HasSubstr("t.yml:1:9: jitter: expected a number, got 'lots'"));
  auto m = parse_config("inventory: [1, 2]\n", "t.yml");
  ASSERT_FALSE(m);
  EXPECT_THAT(m.error().message, HasSubstr("t.yml:1:12: inventory: expected a mapping"));
}

TEST(Config, BadDurationIsReported) {
  auto c = parse_config("inventory:\n  interval: ten minutes\n", "t.yml");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message, HasSubstr("t.yml:2:13: inventory.interval: bad duration"));
  auto tiny = parse_config("inventory:\n  interval: 1s\n", "t.yml");
  ASSERT_FALSE(tiny);
  EXPECT_THAT(tiny.error().message, HasSubstr("must be at least 10s"));
}

TEST(Config, RelativePathIsRefused) {
  auto c = parse_config("state_dir: var/lib/x\n", "t.yml");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message,
              HasSubstr("t.yml:1:12: state_dir: 'var/lib/x' is not an absolute path"));
}

TEST(Config, ReadsMetricsSection) {
  auto c = parse_config("metrics:\n  per_finding: true\n  per_finding_limit: 20\n", "t.yml");
  ASSERT_OK(c);
  EXPECT_TRUE(c->metrics.per_finding);
  EXPECT_EQ(c->metrics.per_finding_limit, 20);
  EXPECT_FALSE(default_config().metrics.per_finding);
  EXPECT_EQ(default_config().metrics.per_finding_limit, 500);
  auto bad = parse_config("metrics:\n  per_finding_limit: -1\n  cardinality: 3\n", "t.yml");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("metrics.per_finding_limit"));
  EXPECT_THAT(bad.error().message, HasSubstr("cardinality"));
}

TEST(Config, ReadsApiSection) {
  EXPECT_TRUE(default_config().api.token_file.empty());
  EXPECT_EQ(default_config().api.max_body_bytes, 1 << 20);
  auto c = parse_config("api:\n  token_file: /etc/patchparty/api.token\n  max_body_bytes: 64KiB\n",
                        "t.yml");
  ASSERT_OK(c);
  EXPECT_EQ(c->api.token_file, "/etc/patchparty/api.token");
  EXPECT_EQ(c->api.max_body_bytes, 64 << 10);
  auto bad = parse_config("api:\n  token_file: api.token\n  max_body_bytes: 1GiB\n  tokens: [a]\n",
                          "t.yml");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("t.yml:2:15: api.token_file: expected an absolute"));
  EXPECT_THAT(bad.error().message,
              HasSubstr("t.yml:3:19: api.max_body_bytes: must be between 1KiB and 64MiB"));
  EXPECT_THAT(bad.error().message, HasSubstr("api.tokens: unknown key"));
  auto unparsable = parse_config("api:\n  max_body_bytes: lots\n", "t.yml");
  ASSERT_FALSE(unparsable);
  EXPECT_THAT(unparsable.error().message, HasSubstr("api.max_body_bytes: bad size 'lots'"));
}

TEST(Config, ReadsTheFleetSection) {
  EXPECT_FALSE(default_config().fleet.enabled());
  auto c = parse_config(
      "fleet:\n  prometheus: http://prom:9090\n  job: \"patchparty-(eu|us)\"\n"
      "  hosts: [\"https://web-1:9877\"]\n  token_file: /etc/patchparty/fleet.token\n"
      "  interval: 5m\n  parallel: 16\n",
      "t.yml");
  ASSERT_OK(c);
  EXPECT_TRUE(c->fleet.enabled());
  EXPECT_EQ(c->fleet.prometheus, "http://prom:9090");
  EXPECT_EQ(c->fleet.job, "patchparty-(eu|us)");
  EXPECT_EQ(c->fleet.hosts, std::vector<std::string>{"https://web-1:9877"});
  EXPECT_EQ(c->fleet.token_file, "/etc/patchparty/fleet.token");
  EXPECT_EQ(c->fleet.interval, std::chrono::minutes(5));
  EXPECT_EQ(c->fleet.parallel, 16);
  auto bad = parse_config(
      "fleet:\n  prometheus: prom:9090\n  job: \"(\"\n  hosts: [ftp://x]\n"
      "  cert_file: /c.pem\n  interval: 10s\n  parallel: 0\n",
      "t.yml");
  ASSERT_FALSE(bad);
  for (const char* what :
       {"fleet.prometheus: expected an http(s) base URL", "fleet.job: not a regex",
        "fleet.hosts[0]: expected an http(s) base URL", "cert_file and key_file go together",
        "fleet.interval", "fleet.parallel"})
    EXPECT_THAT(bad.error().message, HasSubstr(what));
}

TEST(Config, ReadsTheApisTls) {
  EXPECT_FALSE(default_config().api.tls);
  auto c = parse_config(
      "api:\n  tls:\n    cert_file: /etc/patchparty/tls/cert.pem\n"
      "    key_file: /etc/patchparty/tls/key.pem\n"
      "    client_ca_file: /etc/patchparty/tls/fleet-ca.pem\n",
      "t.yml");
  ASSERT_OK(c);
  ASSERT_TRUE(c->api.tls);
  EXPECT_EQ(c->api.tls->cert_file, "/etc/patchparty/tls/cert.pem");
  EXPECT_EQ(c->api.tls->key_file, "/etc/patchparty/tls/key.pem");
  EXPECT_EQ(c->api.tls->client_ca_file, "/etc/patchparty/tls/fleet-ca.pem");
  auto bad = parse_config("api:\n  tls:\n    cert_file: cert.pem\n    ca: x\n", "t.yml");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("api.tls.cert_file: expected an absolute path"));
  EXPECT_THAT(bad.error().message, HasSubstr("api.tls.key_file: is required with api.tls"));
  EXPECT_THAT(bad.error().message, HasSubstr("api.tls.ca: unknown key"));
}

TEST(Config, ReadsTheReadTokenAndWhatItGuards) {
  EXPECT_TRUE(default_config().api.read_token_file.empty());
  EXPECT_FALSE(default_config().api.protect_metrics);
  auto c = parse_config(
      "api:\n  read_token_file: /etc/patchparty/read.token\n"
      "  protect_metrics: true\n",
      "t.yml");
  ASSERT_OK(c);
  EXPECT_EQ(c->api.read_token_file, "/etc/patchparty/read.token");
  EXPECT_TRUE(c->api.protect_metrics);
  auto relative = parse_config("api:\n  read_token_file: read.token\n", "t.yml");
  ASSERT_FALSE(relative);
  EXPECT_THAT(relative.error().message, HasSubstr("api.read_token_file: expected an absolute"));
  // Guarding /metrics with no token would lock Prometheus out with nothing to send.
  auto alone = parse_config("api:\n  protect_metrics: true\n", "t.yml");
  ASSERT_FALSE(alone);
  EXPECT_THAT(alone.error().message, HasSubstr("api.protect_metrics: needs api.read_token_file"));
}

TEST(Config, ReadsDpkgLogSection) {
  const auto d = default_config().inventory.dpkg_log;
  EXPECT_EQ(d.enabled, Toggle::automatic);
  EXPECT_EQ(d.path, "/var/log/dpkg.log");
  EXPECT_EQ(d.interval, std::chrono::seconds(30));
  auto c = parse_config(
      "inventory:\n  dpkg_log:\n    enabled: false\n    path: /srv/log/dpkg.log\n"
      "    interval: 5s\n",
      "t.yml");
  ASSERT_OK(c);
  EXPECT_EQ(c->inventory.dpkg_log.enabled, Toggle::off);
  EXPECT_EQ(c->inventory.dpkg_log.path, "/srv/log/dpkg.log");
  EXPECT_EQ(c->inventory.dpkg_log.interval, std::chrono::seconds(5));
  auto bad = parse_config(
      "inventory:\n  dpkg_log:\n    enabled: maybe\n    path: dpkg.log\n    interval: 10ms\n"
      "    follow: true\n",
      "t.yml");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("inventory.dpkg_log.enabled"));
  EXPECT_THAT(bad.error().message,
              HasSubstr("inventory.dpkg_log.path: 'dpkg.log' is not an absolute path"));
  EXPECT_THAT(bad.error().message, HasSubstr("inventory.dpkg_log.interval: must be at least 1s"));
  EXPECT_THAT(bad.error().message, HasSubstr("inventory.dpkg_log.follow: unknown key"));
}

TEST(Config, ReadsAlertingSection) {
  const Config d = default_config();
  EXPECT_TRUE(d.alerting.alertmanagers.empty()) << "no Alertmanager: alerting off";
  EXPECT_EQ(d.alerting.resend_interval, std::chrono::minutes(1));
  EXPECT_EQ(d.alerting.timeout, std::chrono::seconds(10));
  EXPECT_TRUE(d.alerting.rules.kev);
  EXPECT_TRUE(d.alerting.rules.critical_with_fix);
  EXPECT_EQ(d.alerting.rules.min_risk, 50);
  auto c = parse_config(
      "alerting:\n  alertmanagers: [http://am1:9093, 'https://am2.example/am/']\n"
      "  resend_interval: 5m\n  timeout: 3s\n"
      "  rules:\n    kev: false\n    critical_with_fix: false\n    min_risk: 0\n",
      "t.yml");
  ASSERT_OK(c);
  EXPECT_EQ(c->alerting.alertmanagers,
            (std::vector<std::string>{"http://am1:9093", "https://am2.example/am/"}));
  EXPECT_EQ(c->alerting.resend_interval, std::chrono::minutes(5));
  EXPECT_EQ(c->alerting.timeout, std::chrono::seconds(3));
  EXPECT_FALSE(c->alerting.rules.kev);
  EXPECT_FALSE(c->alerting.rules.critical_with_fix);
  EXPECT_EQ(c->alerting.rules.min_risk, 0);
}

TEST(Config, AlertingMistakesAreReported) {
  auto bad = parse_config(
      "alerting:\n  alertmanagers: ['file:///tmp/am', 'am:9093', 'http://a:1', 'http://a:1', "
      "'http:///x']\n"
      "  resend_interval: 0s\n  timeout: 0s\n  rules:\n    min_risk: 101\n    epss: 0.5\n",
      "t.yml");
  ASSERT_FALSE(bad);
  const std::string& m = bad.error().message;
  EXPECT_THAT(m, HasSubstr("alerting.alertmanagers[0]: 'file:///tmp/am' must start with http://"));
  EXPECT_THAT(m, HasSubstr("alerting.alertmanagers[1]: 'am:9093' must start with http://"));
  EXPECT_THAT(m, HasSubstr("alerting.alertmanagers[3]: duplicate Alertmanager 'http://a:1'"));
  EXPECT_THAT(m, HasSubstr("alerting.alertmanagers[4]: URL 'http:///x' has no host"));
  EXPECT_THAT(m, HasSubstr("alerting.resend_interval: must be at least 1s"));
  EXPECT_THAT(m, HasSubstr("alerting.timeout: must be at least 100ms"));
  EXPECT_THAT(m, HasSubstr("alerting.rules.min_risk"));
  EXPECT_THAT(m, HasSubstr("epss"));
}

TEST(Config, BadListenAddressIsRefused) {
  auto c = parse_config("listen: localhost\n", "t.yml");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message, HasSubstr("listen: 'localhost' is not HOST:PORT"));
}

TEST(Config, ReportsEveryErrorAtOnce) {
  auto c = parse_config("jitter: 2\nbogus: 1\nlog_level: loud\n", "t.yml");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message, HasSubstr("t.yml:1:9: jitter: 2 is out of range"));
  EXPECT_THAT(c.error().message, HasSubstr("t.yml:2:1: bogus: unknown key"));
  EXPECT_THAT(c.error().message, HasSubstr("t.yml:3:12: log_level: 'loud' is not one of"));
}

TEST(Config, SyntaxErrorNamesPosition) {
  auto c = parse_config("inventory:\n  interval: [1h\n", "t.yml");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message, HasSubstr("t.yml:3:1: YAML syntax"));
}

TEST(Config, ProjectValidation) {
  auto c = parse_config(R"(
projects:
  - name: "bad name"
    path: /srv/a
  - name: ok
  - name: ok
    path: /srv/b
    lockfiles: [../etc/passwd]
)",
                        "t.yml");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message, HasSubstr("projects[0].name: required; letters"));
  EXPECT_THAT(c.error().message, HasSubstr("projects[1].path: required"));
  EXPECT_THAT(c.error().message, HasSubstr("projects[2].name: duplicate project name 'ok'"));
  EXPECT_THAT(c.error().message, HasSubstr("'../etc/passwd' must be a file name"));
}

TEST(Config, ProjectBinariesSbomsAndInstalledApplications) {
  EXPECT_EQ(Config{}.inventory.python_site.enabled, Toggle::automatic);
  EXPECT_EQ(Config{}.inventory.python_site.paths.front(), "/usr/local/lib/python3*/dist-packages");
  EXPECT_EQ(Config{}.inventory.npm_global.paths,
            (std::vector<std::string>{"/usr/local/lib/node_modules", "/usr/lib/node_modules"}));
  auto c = parse_config(R"(
inventory:
  python_site: {enabled: true, paths: [/opt/venv/lib/python3*/site-packages]}
  npm_global: {enabled: false}
projects:
  - name: api
    path: /srv/api
    binaries: [bin/*, /usr/local/bin/api-server]
    sbom: [sbom.cdx.json, /srv/sboms/api.spdx.json]
)",
                        "t.yml");
  ASSERT_OK(c);
  EXPECT_EQ(c->inventory.python_site.enabled, Toggle::on);
  EXPECT_EQ(c->inventory.python_site.paths,
            std::vector<std::string>{"/opt/venv/lib/python3*/site-packages"});
  EXPECT_EQ(c->inventory.npm_global.enabled, Toggle::off);
  EXPECT_EQ(c->projects[0].binaries,
            (std::vector<std::string>{"bin/*", "/usr/local/bin/api-server"}));
  EXPECT_EQ(c->projects[0].sbom,
            (std::vector<std::filesystem::path>{"sbom.cdx.json", "/srv/sboms/api.spdx.json"}));

  auto bad = parse_config("inventory:\n  python_site: {paths: [relative/dir]}\n", "t.yml");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message,
              HasSubstr("inventory.python_site.paths: 'relative/dir' must be an absolute"));
}

TEST(Config, MissingFileIsNotFound) {
  EXPECT_ERRC(load_config_file("/nonexistent/patchparty.yml"), Errc::not_found);
}

TEST(Duration, ParsesAndFormats) {
  EXPECT_EQ(*parse_duration("90s"), std::chrono::seconds(90));
  EXPECT_EQ(*parse_duration("1h30m"), std::chrono::minutes(90));
  EXPECT_EQ(*parse_duration("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(*parse_duration("7d"), std::chrono::hours(168));
  EXPECT_EQ(format_duration(std::chrono::minutes(90)), "1h30m");
  EXPECT_EQ(format_duration(std::chrono::milliseconds(1500)), "1s500ms");
  EXPECT_ERRC(parse_duration("10"), Errc::invalid_argument);
  EXPECT_ERRC(parse_duration("m"), Errc::invalid_argument);
  EXPECT_ERRC(parse_duration("-5s"), Errc::invalid_argument);
  EXPECT_ERRC(parse_duration("99999999999999999999d"), Errc::invalid_argument);
}

}  // namespace
}  // namespace patchparty::config

namespace patchparty::config {
namespace {

using ::testing::HasSubstr;

TEST(ConfigFeeds, AbsentMeansAutomatic) {
  auto c = parse_config("log_level: info\n", "t.yml");
  ASSERT_OK(c);
  EXPECT_FALSE(c->feeds_configured);
  EXPECT_TRUE(c->feeds.empty());
}

TEST(ConfigFeeds, ReadsEntries) {
  auto c = parse_config(R"(
feeds:
  - kind: osv
    name: osv-npm
    url: https://example.org/npm/all.zip
    interval: 2h
    timeout: 5m
    max_size: 512MiB
    only: [npm]
  - kind: kev
    url: file:///srv/kev.json
    enabled: false
)",
                        "t.yml");
  ASSERT_OK(c);
  EXPECT_TRUE(c->feeds_configured);
  ASSERT_EQ(c->feeds.size(), 2u);
  EXPECT_EQ(c->feeds[0].name, "osv-npm");
  EXPECT_EQ(c->feeds[0].interval, std::chrono::hours(2));
  EXPECT_EQ(c->feeds[0].max_size, 512 << 20);
  EXPECT_EQ(c->feeds[0].only, std::vector<std::string>{"npm"});
  EXPECT_EQ(c->feeds[1].name, "kev");  // defaults to the kind
  EXPECT_FALSE(c->feeds[1].enabled);
}

TEST(ConfigFeeds, RejectsBadEntries) {
  auto c = parse_config(R"(
feeds:
  - kind: rss
    url: https://example.org/x
  - kind: osv
    url: ftp://example.org/x
  - kind: kev
    url: https://example.org/kev.json
  - kind: kev
    url: https://example.org/kev2.json
    max_size: lots
  - url: https://example.org/y
)",
                        "t.yml");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message, HasSubstr("t.yml:3:11: feeds[0].kind: 'rss' is not one of"));
  EXPECT_THAT(c.error().message, HasSubstr("feeds[1].url: URL 'ftp://example.org/x' must start"));
  EXPECT_THAT(c.error().message, HasSubstr("feeds[3].name: duplicate feed name 'kev'"));
  EXPECT_THAT(c.error().message, HasSubstr("feeds[3].max_size: bad size 'lots'"));
  EXPECT_THAT(c.error().message, HasSubstr("feeds[4].kind: required"));
}

TEST(ConfigFeeds, ReadsNvdKeys) {
  auto c = parse_config(R"(
feeds:
  - kind: nvd
    url: https://services.nvd.nist.gov/rest/json/cves/2.0
    api_key_file: /etc/patchparty/nvd.key
    request_interval: 1s500ms
  - kind: nvd
    name: nvd-files
    url: file:///srv/nvd/
)",
                        "t.yml");
  ASSERT_OK(c);
  ASSERT_EQ(c->feeds.size(), 2u);
  EXPECT_EQ(c->feeds[0].api_key_file, "/etc/patchparty/nvd.key");
  EXPECT_EQ(c->feeds[0].request_interval, std::chrono::milliseconds(1500));
  EXPECT_TRUE(c->feeds[1].api_key_file.empty());
  EXPECT_FALSE(c->feeds[1].request_interval.has_value());  // NVD's pace, by whether a key is set
}

TEST(ConfigFeeds, RejectsBadNvdKeys) {
  auto c = parse_config(R"(
feeds:
  - kind: nvd
    url: https://services.nvd.nist.gov/rest/json/cves/2.0
    api_key_file: nvd.key
    request_interval: soon
  - kind: nvd
    name: nvd-2
    url: https://services.nvd.nist.gov/rest/json/cves/2.0
    only: [Debian:12]
)",
                        "t.yml");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message, HasSubstr("feeds[0].api_key_file"));
  EXPECT_THAT(c.error().message, HasSubstr("feeds[0].request_interval"));
  EXPECT_THAT(c.error().message, HasSubstr("feeds[1].only: kind nvd keeps every CVE"));
}

TEST(ConfigFeeds, ParsesSizes) {
  EXPECT_EQ(*parse_size("1048576"), 1048576);
  EXPECT_EQ(*parse_size("64MiB"), 64 << 20);
  EXPECT_EQ(*parse_size("2GB"), 2000000000);
  EXPECT_ERRC(parse_size("1.5GiB"), Errc::invalid_argument);
  EXPECT_ERRC(parse_size("MiB"), Errc::invalid_argument);
  EXPECT_ERRC(parse_size("5 PB"), Errc::invalid_argument);
}

TEST(ConfigParty, ReadsScheduleAndTimeZone) {
  auto c = parse_config(R"(
party:
  schedule: "30 18 * * thu#3"
  time_zone: Europe/Paris
)",
                        "t.yml");
  ASSERT_OK(c);
  EXPECT_EQ(c->party.schedule, "30 18 * * thu#3");
  EXPECT_EQ(c->party.time_zone, "Europe/Paris");
  auto m = parse_config("party: {schedule: '@monthly', time_zone: UTC}", "t.yml");
  ASSERT_OK(m);
  EXPECT_EQ(m->party.schedule, "@monthly");
  EXPECT_EQ(m->party.wave, "");
}

TEST(ConfigParty, WaveIsAPlainLabel) {
  auto c = parse_config("party: {wave: canary}", "t.yml");
  ASSERT_OK(c);
  EXPECT_EQ(c->party.wave, "canary");
  for (const char* bad : {"party: {wave: 'wave 1'}", "party: {wave: \"a/b\"}",
                          "party: {wave: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}"}) {
    auto r = parse_config(bad, "t.yml");
    ASSERT_FALSE(r) << bad;
    EXPECT_THAT(r.error().message, HasSubstr("party.wave")) << bad;
  }
}

TEST(ConfigParty, ReportsBadScheduleAndTimeZoneAtTheirKeys) {
  auto c = parse_config(R"(
party:
  schedule: "0 9 * * 9"
  time_zone: Mars/Olympus
)",
                        "t.yml");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, Errc::invalid_argument);
  EXPECT_THAT(c.error().message,
              HasSubstr("t.yml:3:13: party.schedule: day-of-week: '9' is out of range 0-7"));
  EXPECT_THAT(c.error().message,
              HasSubstr("t.yml:4:14: party.time_zone: 'Mars/Olympus' is not a known time zone"));
}

TEST(ConfigParty, ReportsEachPartyMistakeAlone) {
  auto s = parse_config("party:\n  schedule: 0 9 * *\n", "t.yml");
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error().message,
              HasSubstr("t.yml:2:13: party.schedule: expected 5 fields (minute hour "
                        "day-of-month month day-of-week), got 4 in '0 9 * *'"));
  EXPECT_THAT(s.error().message, ::testing::Not(HasSubstr("time_zone")));

  auto z = parse_config("party:\n  time_zone: /etc/localtime\n", "t.yml");
  ASSERT_FALSE(z);
  EXPECT_THAT(z.error().message,
              HasSubstr("t.yml:2:14: party.time_zone: '/etc/localtime' is not an IANA name"));
  EXPECT_THAT(z.error().message, ::testing::Not(HasSubstr("party.schedule")));

  // A value of the wrong type is reported once, by its type, not again as a bad schedule.
  auto t = parse_config("party:\n  schedule: [0, 9]\n", "t.yml");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().message.find('\n'), std::string::npos) << t.error().message;
}

TEST(Config, ReadsTargetsWithWatchAndRollback) {
  EXPECT_TRUE(default_config().targets.empty());
  auto c = parse_config(
      "health:\n"
      "  checks:\n"
      "    - {name: shop-http, kind: http, url: 'http://127.0.0.1:8080/'}\n"
      "    - {name: api-unit, kind: systemd_unit, unit: api.service}\n"
      "targets:\n"
      "  - name: shop\n"
      "    packages: [nginx, openssl]\n"
      "    checks: [shop-http]\n"
      "    watch: {window: 5m, failure_threshold: 4, consecutive_failures: 3}\n"
      "    rollback:\n"
      "      enabled: true\n"
      "      command: [/usr/bin/apt-get, install, -y, '{package}={from_version}']\n"
      "  - name: api\n"
      "    checks: [api-unit]\n"
      "    rollback: {enabled: true, dry_run: true, bus: user,\n"
      "               systemd_unit: 'patchparty-rollback@{target}.service'}\n",
      "t.yml");
  ASSERT_OK(c);
  ASSERT_EQ(c->targets.size(), 2u);
  const auto& shop = c->targets[0];
  EXPECT_EQ(shop.packages, (std::vector<std::string>{"nginx", "openssl"}));
  EXPECT_EQ(shop.watch.window, std::chrono::minutes(5));
  EXPECT_EQ(shop.watch.baseline, std::chrono::minutes(10));
  EXPECT_EQ(shop.watch.failure_threshold, 4);
  EXPECT_EQ(shop.watch.consecutive_failures, 3);
  EXPECT_TRUE(shop.rollback.enabled);
  EXPECT_FALSE(shop.rollback.dry_run);
  EXPECT_EQ(shop.rollback.command.back(), "{package}={from_version}");
  const auto& api = c->targets[1];
  EXPECT_TRUE(api.rollback.dry_run);
  EXPECT_EQ(api.rollback.bus, "user");
  EXPECT_EQ(api.rollback.systemd_unit, "patchparty-rollback@{target}.service");
}

TEST(Config, TargetMistakesAreReported) {
  auto bad = parse_config(
      "targets:\n"
      "  - name: 'shop; rm'\n"
      "    checks: [x]\n"
      "    rollback: {enabled: true, command: [apt-get, '{version}']}\n"
      "  - name: b\n"
      "    rollback: {enabled: true}\n"
      "  - name: c\n"
      "    checks: [x]\n"
      "    rollback: {command: [/bin/true], systemd_unit: a.service}\n"
      "  - name: d\n"
      "    checks: [x]\n"
      "    rollback: {systemd_unit: 'rollback@{to_version}'}\n",
      "t.yml");
  ASSERT_FALSE(bad);
  const std::string& m = bad.error().message;
  EXPECT_THAT(m, HasSubstr("targets[0].name: required; letters, digits"));
  EXPECT_THAT(m, HasSubstr("targets[0].rollback.command: the program must be an absolute path"));
  EXPECT_THAT(m, HasSubstr("targets[1].checks: required"));
  EXPECT_THAT(m, HasSubstr("targets[1].rollback.enabled: a rollback needs a command or a"));
  EXPECT_THAT(m, HasSubstr("targets[2].rollback: either command or systemd_unit, not both"));
  EXPECT_THAT(m, HasSubstr("targets[3].rollback.systemd_unit: 'rollback@2' is not a valid unit"));
  EXPECT_THAT(m, HasSubstr("targets[2].checks: no health check named 'x' (health.checks)"));
}

}  // namespace
}  // namespace patchparty::config
