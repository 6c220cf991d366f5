// What a day of OSV costs a host: a simulated ecosystem folder of OSV's bucket (RECORDS renamed
// copies of the real records in the shared data, each with its own `modified` time), served over
// loopback HTTP with ranges, then CHANGES of its records changed (a few withdrawn). Two hosts
// hold the first day; on the second one syncs incrementally (the folder url), the other loads
// all.zip (the file url, as before incremental sync). Prints bytes downloaded and seconds of
// both, their ratios, and whether the two stores then hold the same rows.
// Usage: osv_sync_bench [RECORDS=200000] [CHANGES=500]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/feeds/builtin_feeds.h"
#include "core/base/rfc3339_time.h"
#include "core/store/advisory_tables.h"
#include "core/store/store.h"
#include "daemon/lifecycle/feed_job.h"
#include "tests/support/http_test_server.h"
#include "tests/support/zip_writer.h"

namespace {

namespace fs = std::filesystem;
using namespace patchparty;

constexpr std::int64_t kDayOne = 1893456000;  // 2030-01-01: later than every real record

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The value of the first `"key": "value"` string member, replaced (the key must exist).
std::string with_field(const std::string& record, std::string_view key, const std::string& value) {
  const auto at = record.find("\"" + std::string(key) + "\"");
  const auto open = record.find('"', record.find(':', at) + 1);
  const auto close = record.find('"', open + 1);
  return record.substr(0, open + 1) + value + record.substr(close);
}

struct Bucket {
  std::vector<std::string> records;  // index = record number
  std::vector<std::int64_t> modified;

  std::string id(std::size_t i) const { return "SIM-" + std::to_string(i); }

  std::string zip(const fs::path& scratch) const {
    const fs::path file = scratch / "all.zip";
    {
      testing::ZipWriter zip(file);
      for (std::size_t i = 0; i < records.size(); ++i) zip.add(id(i) + ".json", records[i]);
    }
    return slurp(file);
  }
  std::string index() const {
    std::vector<std::size_t> order(records.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return modified[a] > modified[b]; });
    std::string out;
    for (std::size_t i : order) out += format_rfc3339(modified[i]) + "," + id(i) + "\n";
    return out;
  }
  void serve(testing::HttpTestServer& server, const fs::path& scratch, const std::string& tag) {
    server.set("/sim/all.zip", testing::Route{.body = zip(scratch), .etag = "\"" + tag + "\""});
    server.set("/sim/modified_id.csv", testing::Route{.body = index()});
    for (std::size_t i = 0; i < records.size(); ++i)
      server.set("/sim/" + id(i) + ".json", testing::Route{.body = records[i]});
  }
};

Bucket make_bucket(std::size_t count) {
  std::vector<std::string> real;
  for (const char* dir : {"osv/npm-malicious", "osv/npm", "osv/Packagist"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(PP_TEST_DATA_DIR) / dir)) {
      const std::string body = slurp(e.path());
      if (e.path().extension() == ".json" && body.find("\"modified\"") != std::string::npos)
        real.push_back(body);
    }
  }
  std::sort(real.begin(), real.end());
  Bucket b;
  for (std::size_t i = 0; i < count; ++i) {
    const auto t = kDayOne - static_cast<std::int64_t>(count - i);
    b.records.push_back(with_field(with_field(real[i % real.size()], "id", b.id(i)), "modified",
                                   format_rfc3339(t)));
    b.modified.push_back(t);
  }
  return b;
}

struct Sync {
  double seconds = 0;
  std::uint64_t bytes = 0;
  std::int64_t written = 0;
  std::string mode;
};

Sync sync(const fs::path& state, const std::string& url) {
  auto store = store::Store::open(state);
  if (!store) {
    std::fprintf(stderr, "store: %s\n", store.error().message.c_str());
    std::exit(1);
  }
  config::FeedConfig c;
  c.name = "osv-sim";
  c.kind = "osv";
  c.url = url;
  c.timeout = std::chrono::minutes(30);
  auto feed = feeds::make_feed(c);
  feeds::Fetcher fetcher(state / "downloads", lifecycle::user_agent());
  const auto start = std::chrono::steady_clock::now();
  auto r = lifecycle::run_feed(**feed, fetcher, *store, {});
  Sync out;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!r) {
    std::fprintf(stderr, "sync %s: %s\n", url.c_str(), r.error().message.c_str());
    std::exit(1);
  }
  out.bytes = r->bytes;
  out.written = r->records;
  out.mode = r->sync_mode.empty() ? "whole file" : r->sync_mode;
  return out;
}

std::string rows(const fs::path& state) {
  auto store = store::Store::open_read_only(state);
  auto st = store->database().prepare(
      "SELECT advisory_id, modified, withdrawn, record FROM advisories WHERE feed = 'osv-sim' "
      "ORDER BY advisory_id");
  std::string out;
  while (st->step().value_or(false))
    out += st->column_text(0) + st->column_text(1) + st->column_text(2) + st->column_text(3);
  return out;
}

void print(const char* what, const Sync& s) {
  std::printf("%-34s %12.1f KB %9.2f s  %7lld records written  (%s)\n", what,
              static_cast<double>(s.bytes) / 1024.0, s.seconds, static_cast<long long>(s.written),
              s.mode.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t count = argc > 1 ? std::stoul(argv[1]) : 200000;
  const std::size_t changes = argc > 2 ? std::stoul(argv[2]) : 500;
  feeds::register_builtin_feeds();
  const fs::path dir =
      fs::temp_directory_path() / ("pp-osv-sync-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);

  std::printf("simulated ecosystem: %zu records, %zu changed a day\n", count, changes);
  Bucket bucket = make_bucket(count);
  testing::HttpTestServer server;
  bucket.serve(server, dir, "day1");
  const std::string folder = server.url("/sim/");

  const Sync first = sync(dir / "incremental", folder);
  print("day 1, incremental host (first)", first);
  const Sync first_zip = sync(dir / "whole", folder + "all.zip");
  print("day 1, all.zip host", first_zip);

  // Day 2: CHANGES records rewritten, one in fifty of them withdrawn, spread over the day.
  std::mt19937 rng(42);
  std::vector<std::size_t> picks(count);
  for (std::size_t i = 0; i < count; ++i) picks[i] = i;
  std::shuffle(picks.begin(), picks.end(), rng);
  for (std::size_t k = 0; k < changes && k < count; ++k) {
    const std::size_t i = picks[k];
    const std::int64_t t = kDayOne + 60 + static_cast<std::int64_t>(k) * 86000 / changes;
    std::string r = with_field(bucket.records[i], "modified", format_rfc3339(t));
    if (k % 50 == 0) r = "{\"withdrawn\":\"" + format_rfc3339(t) + "\"," + r.substr(1);
    bucket.records[i] = std::move(r);
    bucket.modified[i] = t;
  }
  bucket.serve(server, dir, "day2");

  const Sync inc = sync(dir / "incremental", folder);
  print("day 2, incremental sync", inc);
  const Sync whole = sync(dir / "whole", folder + "all.zip");
  print("day 2, all.zip sync", whole);
  std::printf("incremental / all.zip: bytes %.5f (%.0fx fewer), seconds %.4f (%.0fx faster)\n",
              static_cast<double>(inc.bytes) / static_cast<double>(whole.bytes),
              static_cast<double>(whole.bytes) / static_cast<double>(inc.bytes),
              inc.seconds / whole.seconds, whole.seconds / inc.seconds);
  const bool equal = rows(dir / "incremental") == rows(dir / "whole");
  std::printf("stores equal after day 2: %s\n", equal ? "yes" : "NO");
  fs::remove_all(dir);
  return equal ? 0 : 1;
}
