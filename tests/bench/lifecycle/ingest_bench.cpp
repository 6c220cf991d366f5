// Feed ingest throughput: a synthetic OSV all.zip made of renamed copies of the real records in
// the shared data, ingested three ways, each in a child process so peak RSS is its own:
//   ingest  the whole feed job: zip → parse → normalise → store (one transaction)
//   parse   the same zip members parsed by RapidJSON alone
//   insert  the same rows inserted with raw prepared SQLite statements alone: the store's schema
//           and settings, every advisories row and advisory_packages row the ingest writes, with
//           their values worked out before the clock starts
// Usage: ingest_bench [RECORDS=500000] [CORPUS_ZIP]. Prints MB/s, records/s, CPU seconds, peak RSS
// and ratios. With CORPUS_ZIP the corpus is kept there and reused by later runs of the same size,
// since making it takes longer than the runs it feeds.
#include <archive.h>
#include <archive_entry.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/feeds/builtin_feeds.h"
#include "core/record/osv_record.h"
#include "core/store/migrations.h"
#include "core/store/store.h"
#include "daemon/lifecycle/feed_job.h"
#include "tests/support/zip_writer.h"

namespace {

namespace fs = std::filesystem;
using namespace patchparty;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> real_records() {
  std::vector<std::string> out;
  for (const char* dir :
       {"osv/Packagist", "osv/npm", "osv/npm-malicious", "osv/other", "debian/osv"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(PP_TEST_DATA_DIR) / dir)) {
      if (e.path().extension() == ".json") out.push_back(slurp(e.path()));
    }
  }
  return out;
}

// A renamed copy: the record's id gets a numeric suffix so every record is distinct.
std::string renamed(const std::string& record, std::size_t n) {
  auto key = record.find("\"id\"");
  auto open = record.find('"', record.find(':', key) + 1);
  auto close = record.find('"', open + 1);
  return record.substr(0, close) + "-" + std::to_string(n) + record.substr(close);
}

std::uint64_t write_corpus(const fs::path& zip, std::size_t count) {
  auto records = real_records();
  patchparty::testing::ZipWriter out(zip);
  std::uint64_t bytes = 0;
  for (std::size_t i = 0; i < count; ++i) {
    std::string body = renamed(records[i % records.size()], i);
    out.add("r" + std::to_string(i) + ".json", body);
    bytes += body.size();
  }
  return bytes;
}

// What the store writes for one real record besides its bytes; a renamed copy differs in id only.
struct Rows {
  std::string id, modified, aliases_json;
  bool withdrawn = false;
  std::vector<std::pair<std::string, std::string>> packages;  // distinct (base ecosystem, name)
};

std::vector<Rows> rows_of(const std::vector<std::string>& records) {
  std::vector<Rows> out;
  for (const auto& r : records) {
    auto a = feeds::parse_osv_record(r);
    Rows& rows = out.emplace_back();
    if (!a) continue;
    rows.id = a->id;
    rows.modified = a->modified;
    rows.withdrawn = a->withdrawn.has_value();
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartArray();
    for (const auto& alias : a->aliases)
      w.String(alias.data(), static_cast<unsigned>(alias.size()));
    w.EndArray();
    rows.aliases_json = buf.GetString();
    for (const auto& af : a->affected) {
      if (af.name.empty()) continue;
      std::pair<std::string, std::string> key{af.ecosystem.substr(0, af.ecosystem.find(':')),
                                              af.name};
      if (std::find(rows.packages.begin(), rows.packages.end(), key) == rows.packages.end())
        rows.packages.push_back(std::move(key));
    }
  }
  return out;
}

// Each member's bytes, in order, to `fn`.
void for_each_member(const fs::path& zip, const std::function<void(const std::string&)>& fn) {
  archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  archive_read_open_filename(a, zip.c_str(), 1 << 16);
  archive_entry* entry = nullptr;
  std::string buf;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    buf.clear();
    char chunk[1 << 16];
    la_ssize_t n;
    while ((n = archive_read_data(a, chunk, sizeof chunk)) > 0)
      buf.append(chunk, static_cast<std::size_t>(n));
    fn(buf);
  }
  archive_read_free(a);
}

// The JSON bytes of a corpus made earlier, or 0 when `zip` does not hold `count` members.
std::uint64_t corpus_bytes(const fs::path& zip, std::size_t count) {
  std::error_code ec;
  if (!fs::is_regular_file(zip, ec)) return 0;
  archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  archive_read_open_filename(a, zip.c_str(), 1 << 16);
  archive_entry* entry = nullptr;
  std::uint64_t bytes = 0;
  std::size_t n = 0;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    bytes += static_cast<std::uint64_t>(archive_entry_size(entry));
    ++n;
  }
  archive_read_free(a);
  return n == count ? bytes : 0;
}

struct Run {
  double seconds = 0;
  double cpu_seconds = 0;  // user + system, all threads
  long peak_rss_kb = 0;
  int status = 0;
};

// Runs `work` in a child process; its wall time and peak RSS come back through wait4.
Run in_child(const std::function<int()>& work) {
  auto started = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) _exit(work());
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  Run r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  r.peak_rss_kb = ru.ru_maxrss;
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  r.cpu_seconds = secs(ru.ru_utime) + secs(ru.ru_stime);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

void report(const char* what, const Run& r, std::uint64_t bytes, std::size_t count) {
  std::printf("%-7s %8.2f s  %8.1f MB/s  %9.0f records/s  cpu %7.2f s  peak RSS %6.1f MB  %s\n",
              what, r.seconds, static_cast<double>(bytes) / 1e6 / r.seconds,
              static_cast<double>(count) / r.seconds, r.cpu_seconds,
              static_cast<double>(r.peak_rss_kb) / 1024.0, r.status == 0 ? "ok" : "FAILED");
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = argc > 1 ? std::stoul(argv[1]) : 500000;
  fs::path dir = fs::temp_directory_path() / ("pp-ingest-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path zip = argc > 2 ? fs::absolute(argv[2]) : dir / "all.zip";
  auto t0 = std::chrono::steady_clock::now();
  std::uint64_t bytes = corpus_bytes(zip, count);
  const bool reused = bytes > 0;
  if (!reused) bytes = write_corpus(zip, count);
  std::printf("corpus: %zu records, %.1f MB of JSON, %.1f MB zipped (%s in %.1f s)\n", count,
              static_cast<double>(bytes) / 1e6, static_cast<double>(fs::file_size(zip)) / 1e6,
              reused ? "reused" : "made",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());

  feeds::register_builtin_feeds();  // as both executables do at start-up
  Run ingest = in_child([&] {
    auto store = store::Store::open(dir / "state");
    if (!store) return 1;
    config::FeedConfig c;
    c.name = "osv-bench";
    c.kind = "osv";
    c.url = "file://" + zip.string();
    auto feed = feeds::make_feed(c);
    if (!feed) return 1;
    feeds::Fetcher fetcher(dir / "state" / "downloads", "bench");
    auto r = lifecycle::run_feed(**feed, fetcher, *store, {});
    return r && r->records == static_cast<std::int64_t>(count) ? 0 : 1;
  });
  Run parse = in_child([&] {
    std::size_t n = 0;
    for_each_member(zip, [&](const std::string& json) {
      rapidjson::Document doc;
      doc.Parse(json.data(), json.size());
      if (!doc.HasParseError()) ++n;
    });
    return n == count ? 0 : 1;
  });
  const auto rows = rows_of(real_records());
  Run insert = in_child([&] {
    sqlite3* db = nullptr;
    sqlite3_open((dir / "raw.db").c_str(), &db);
    // As Store::open and FeedRefresh::begin set them up.
    std::string setup =
        "PRAGMA page_size = " + std::to_string(store::Database::kNewDatabasePageSize) +
        "; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
        "PRAGMA foreign_keys = ON; PRAGMA journal_size_limit = 67108864; "
        "PRAGMA cache_size = -65536";
    sqlite3_exec(db, setup.c_str(), nullptr, nullptr, nullptr);
    for (const auto& m : store::schema_migrations())
      sqlite3_exec(db, std::string(m.sql).c_str(), nullptr, nullptr, nullptr);
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_stmt* pk = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT INTO advisories (feed, advisory_id, modified, withdrawn, aliases, "
                       "record) VALUES ('osv-bench', ?1, ?2, ?3, ?4, ?5)",
                       -1, &st, nullptr);
    sqlite3_prepare_v2(db,
                       "INSERT INTO advisory_packages (ecosystem, name, advisory) VALUES (?1, ?2, "
                       "?3)",
                       -1, &pk, nullptr);
    std::size_t n = 0;
    for_each_member(zip, [&](const std::string& json) {
      const Rows& r = rows[n % rows.size()];
      std::string id = r.id + "-" + std::to_string(n);
      sqlite3_bind_text(st, 1, id.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(st, 2, r.modified.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int(st, 3, r.withdrawn ? 1 : 0);
      sqlite3_bind_text(st, 4, r.aliases_json.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_blob(st, 5, json.data(), static_cast<int>(json.size()), SQLITE_STATIC);
      bool ok = sqlite3_step(st) == SQLITE_DONE;
      sqlite3_reset(st);
      const sqlite3_int64 row = sqlite3_last_insert_rowid(db);
      for (const auto& [eco, name] : r.packages) {
        sqlite3_bind_text(pk, 1, eco.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(pk, 2, name.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int64(pk, 3, row);
        ok = sqlite3_step(pk) == SQLITE_DONE && ok;
        sqlite3_reset(pk);
      }
      if (ok) ++n;
    });
    sqlite3_finalize(st);
    sqlite3_finalize(pk);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return n == count ? 0 : 1;
  });
  report("ingest", ingest, bytes, count);
  report("parse", parse, bytes, count);
  report("insert", insert, bytes, count);
  auto mb = [](const fs::path& f) {
    std::error_code ec;
    auto n = fs::file_size(f, ec);
    return ec ? 0.0 : static_cast<double>(n) / 1e6;
  };
  std::printf("database: ingest %.1f MB, raw insert %.1f MB\n",
              mb(store::Store::database_file(dir / "state")), mb(dir / "raw.db"));
  std::printf("ingest speed / RapidJSON-only parse speed: %.2f\n", parse.seconds / ingest.seconds);
  std::printf("ingest speed / raw-insert-only speed:      %.2f\n", insert.seconds / ingest.seconds);
  fs::remove_all(dir);
  return ingest.status == 0 && parse.status == 0 && insert.status == 0 ? 0 : 1;
}
