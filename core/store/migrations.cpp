#include "core/store/migrations.h"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace patchparty::store {
namespace {

// Version 1. Times are unix seconds (INTEGER). Text that a source may lack is '' rather than NULL
// so that equality and GROUP BY behave. "Newest" means highest id, not highest taken_at: ids follow
// the order of saving, which a clock stepping backwards cannot reorder.
constexpr std::string_view kSchemaV1 = R"sql(
PRAGMA application_id = 1886418041; -- kApplicationId

CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per inventory run of one source (and project, for lockfiles), failed runs included, so
-- "dpkg has failed since Tuesday" is answerable and a failure never hides the last good packages.
CREATE TABLE inventory_snapshots (
  id            INTEGER PRIMARY KEY,
  taken_at      INTEGER NOT NULL,
  source        TEXT NOT NULL CHECK (source <> ''),
  project       TEXT NOT NULL DEFAULT '',
  package_count INTEGER NOT NULL DEFAULT 0 CHECK (package_count >= 0),
  ok            INTEGER NOT NULL CHECK (ok IN (0, 1)),
  error         TEXT,
  CHECK ((ok = 1) = (error IS NULL))
);
-- Latest successful snapshot per (source, project), and retention per (source, project).
CREATE INDEX inventory_snapshots_by_source ON inventory_snapshots (source, project, ok, id);

CREATE TABLE inventory_packages (
  snapshot_id    INTEGER NOT NULL REFERENCES inventory_snapshots (id) ON DELETE CASCADE,
  ecosystem      TEXT NOT NULL CHECK (ecosystem <> ''),
  name           TEXT NOT NULL CHECK (name <> ''),
  version        TEXT NOT NULL,
  source_name    TEXT NOT NULL DEFAULT '',
  source_version TEXT NOT NULL DEFAULT '',
  arch           TEXT NOT NULL DEFAULT '',
  origin         TEXT NOT NULL DEFAULT '',
  project        TEXT NOT NULL DEFAULT '',
  location       TEXT NOT NULL DEFAULT '',
  dev            INTEGER NOT NULL DEFAULT 0 CHECK (dev IN (0, 1)),
  optional       INTEGER NOT NULL DEFAULT 0 CHECK (optional IN (0, 1))
);
-- Loading a snapshot, and the cascade when retention deletes one.
CREATE INDEX inventory_packages_by_snapshot ON inventory_packages (snapshot_id);
-- "Where is package P installed, and since when": correlation and patch-event lookups.
CREATE INDEX inventory_packages_by_name ON inventory_packages (ecosystem, name);

-- Conditional GET and health of each advisory feed; one row per configured feed.
CREATE TABLE feed_state (
  feed             TEXT PRIMARY KEY NOT NULL CHECK (feed <> ''),
  etag             TEXT,
  last_modified    TEXT,
  last_success_at  INTEGER,
  last_attempt_at  INTEGER,
  last_error       TEXT,
  record_count     INTEGER NOT NULL DEFAULT 0,
  duration_seconds REAL
) WITHOUT ROWID;
)sql";

// Version 2: advisories and enrichment. Each row belongs to the feed that wrote it, so a refresh
// replaces exactly that feed's rows in one transaction. Records are kept as OSV JSON (with our
// extensions, see collectors/feeds/osv_writer.h); the side tables index what correlation looks up.
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE advisories (
  id          INTEGER PRIMARY KEY,
  feed        TEXT NOT NULL CHECK (feed <> ''),
  advisory_id TEXT NOT NULL CHECK (advisory_id <> ''),
  modified    TEXT NOT NULL DEFAULT '',
  withdrawn   INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
  -- Other ids of the same vulnerability as a JSON array. Nothing looks a record up by alias, so a
  -- side table and its two indexes cost every refresh without serving a query; the column sits
  -- before the record so alias_pairs() reads no record bytes.
  aliases     TEXT NOT NULL DEFAULT '[]',
  record      BLOB NOT NULL
);
CREATE INDEX advisories_by_feed ON advisories (feed);
-- Correlation looks packages up by the ecosystem's base name ("Debian" for "Debian:12") and the
-- package name; the full ecosystem string stays in the record. The key is the lookup itself, so
-- there is no second index to update. There is no foreign key: without an index on `advisory`
-- every deleted advisory would scan this table, and FeedRefresh deletes a feed's packages
-- together with its advisories in the same transaction.
CREATE TABLE advisory_packages (
  ecosystem TEXT NOT NULL,
  name      TEXT NOT NULL,
  advisory  INTEGER NOT NULL, -- advisories (id)
  PRIMARY KEY (ecosystem, name, advisory)
) WITHOUT ROWID;
CREATE TABLE kev (
  cve              TEXT PRIMARY KEY NOT NULL,
  feed             TEXT NOT NULL,
  vendor           TEXT NOT NULL DEFAULT '',
  product          TEXT NOT NULL DEFAULT '',
  name             TEXT NOT NULL DEFAULT '',
  date_added       TEXT NOT NULL DEFAULT '',
  due_date         TEXT NOT NULL DEFAULT '',
  known_ransomware INTEGER NOT NULL DEFAULT 0 CHECK (known_ransomware IN (0, 1)),
  required_action  TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE epss (
  cve         TEXT PRIMARY KEY NOT NULL,
  feed        TEXT NOT NULL,
  probability REAL NOT NULL CHECK (probability BETWEEN 0 AND 1),
  percentile  REAL NOT NULL CHECK (percentile BETWEEN 0 AND 1),
  date        TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
ALTER TABLE feed_state ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE feed_state ADD COLUMN records_skipped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feed_state ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feed_state ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 3: findings with their history, scans, and the party exports already written.
// A finding is one (host, project, ecosystem, package, location, vulnerability): an upgrade that
// still leaves the package affected keeps the finding (and its first_seen, which the SLA counts
// from); location tells apart two copies of a package in one project (npm nests them).
constexpr std::string_view kSchemaV3 = R"sql(
CREATE TABLE findings (
  id            INTEGER PRIMARY KEY,
  host          TEXT NOT NULL,
  project       TEXT NOT NULL DEFAULT '',
  ecosystem     TEXT NOT NULL,
  package       TEXT NOT NULL,
  location      TEXT NOT NULL DEFAULT '',
  vulnerability TEXT NOT NULL CHECK (vulnerability <> ''),
  version       TEXT NOT NULL,
  severity      TEXT NOT NULL DEFAULT 'unknown',
  risk          REAL NOT NULL DEFAULT 0,
  first_seen    INTEGER NOT NULL,
  last_seen     INTEGER NOT NULL,
  resolved_at   INTEGER,
  detail        TEXT NOT NULL,
  UNIQUE (host, project, ecosystem, package, location, vulnerability)
);
CREATE INDEX findings_open ON findings (resolved_at);
CREATE TABLE scans (
  id               INTEGER PRIMARY KEY,
  finished_at      INTEGER NOT NULL,
  packages         INTEGER NOT NULL,
  findings         INTEGER NOT NULL,
  opened           INTEGER NOT NULL,
  resolved         INTEGER NOT NULL,
  duration_seconds REAL NOT NULL
);
CREATE TABLE party_exports (
  party_at   INTEGER PRIMARY KEY,
  written_at INTEGER NOT NULL,
  directory  TEXT NOT NULL
);
)sql";

// Version 4: patch events (core/events/patch_event.h) and the cursors of followed logs.
// verdict and rollback stay '' until the health watch judges the event. An event's time `at` is
// when it happened; ids follow the order of recording.
constexpr std::string_view kSchemaV4 = R"sql(
CREATE TABLE patch_events (
  id           INTEGER PRIMARY KEY,
  at           INTEGER NOT NULL,
  recorded_at  INTEGER NOT NULL,
  origin       TEXT NOT NULL CHECK (origin IN ('inventory', 'dpkg_log', 'api', 'cli')),
  kind         TEXT NOT NULL
               CHECK (kind IN ('upgrade', 'downgrade', 'install', 'remove', 'deploy')),
  target       TEXT NOT NULL CHECK (target <> ''),
  arch         TEXT NOT NULL DEFAULT '',
  ecosystem    TEXT NOT NULL DEFAULT '',
  project      TEXT NOT NULL DEFAULT '',
  from_version TEXT NOT NULL DEFAULT '',
  to_version   TEXT NOT NULL DEFAULT '',
  note         TEXT NOT NULL DEFAULT '',
  verdict      TEXT NOT NULL DEFAULT '',
  rollback     TEXT NOT NULL DEFAULT ''
);
-- `patchparty events --since`, and the watch engine's "events touching target T".
CREATE INDEX patch_events_by_time ON patch_events (at);
CREATE INDEX patch_events_by_target ON patch_events (target, at);
CREATE TABLE log_cursors (
  path       TEXT PRIMARY KEY NOT NULL CHECK (path <> ''),
  inode      INTEGER NOT NULL,
  offset     INTEGER NOT NULL CHECK (offset >= 0),
  head_hash  INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Version 5: the latest restart-needed check (collectors/restart/restart_store.h), one row kept
// as its JSON report: it is read whole by the backlog and the metrics, never queried inside.
constexpr std::string_view kSchemaV5 = R"sql(
CREATE TABLE restart_report (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  taken_at INTEGER NOT NULL,
  report   TEXT NOT NULL
);
)sql";

// Version 6: who ships each Debian/Ubuntu package, from apt's lists
// (collectors/inventory/apt_lists.h), and the module stream of an rpm module build. Rows written
// before it read as the distribution's, with no stream.
constexpr std::string_view kSchemaV6 = R"sql(
ALTER TABLE inventory_packages ADD COLUMN supplier TEXT NOT NULL DEFAULT '';
ALTER TABLE inventory_packages ADD COLUMN third_party INTEGER NOT NULL DEFAULT 0
  CHECK (third_party IN (0, 1));
ALTER TABLE inventory_packages ADD COLUMN supplier_newest TEXT NOT NULL DEFAULT '';
ALTER TABLE inventory_packages ADD COLUMN module_stream TEXT NOT NULL DEFAULT '';
)sql";

// Version 7: the advisory index spells each name as its ecosystem compares names
// (core/model/package_name.h): PyPI by PEP 503 (runs of '-', '_', '.' become one '-', lower
// case), Packagist in lower case. A row whose new spelling another row of the same advisory
// already has is dropped. Six '--' collapses shorten any run of up to 64 separators.
constexpr std::string_view kSchemaV7 = R"sql(
UPDATE OR IGNORE advisory_packages SET name = lower(name) WHERE ecosystem = 'Packagist';
DELETE FROM advisory_packages WHERE ecosystem = 'Packagist' AND name <> lower(name);
UPDATE OR IGNORE advisory_packages SET name = lower(replace(replace(replace(replace(replace(replace(
  replace(replace(name, '_', '-'), '.', '-'), '--', '-'), '--', '-'), '--', '-'), '--', '-'),
  '--', '-'), '--', '-')) WHERE ecosystem = 'PyPI';
DELETE FROM advisory_packages WHERE ecosystem = 'PyPI' AND (name <> lower(name) OR
  instr(name, '_') > 0 OR instr(name, '.') > 0 OR instr(name, '--') > 0);
)sql";

// Version 8: feeds that update in place. An incremental sync replaces single records, so it looks
// them up by (feed, id); that index also serves every by-feed lookup the old one did. Each feed
// remembers how far its source's change index has been applied (cursor) and how its last sync
// went ("full", "incremental", or why it fell back). CVSS scores per CVE from an enrichment feed
// (NVD), the preferred one at seq 0, for findings whose records carry none.
constexpr std::string_view kSchemaV8 = R"sql(
CREATE INDEX advisories_by_feed_id ON advisories (feed, advisory_id);
DROP INDEX advisories_by_feed;
ALTER TABLE feed_state ADD COLUMN cursor TEXT NOT NULL DEFAULT '';
ALTER TABLE feed_state ADD COLUMN sync_mode TEXT NOT NULL DEFAULT '';
-- Every byte the feed's refreshes downloaded, for a counter that survives restarts.
ALTER TABLE feed_state ADD COLUMN download_bytes INTEGER NOT NULL DEFAULT 0;
CREATE TABLE cve_scores (
  cve           TEXT NOT NULL CHECK (cve <> ''),
  seq           INTEGER NOT NULL CHECK (seq >= 0),
  feed          TEXT NOT NULL CHECK (feed <> ''),
  version       TEXT NOT NULL,
  source        TEXT NOT NULL DEFAULT '',
  type          TEXT NOT NULL DEFAULT '',
  score         REAL NOT NULL CHECK (score BETWEEN 0 AND 10),
  vector        TEXT NOT NULL DEFAULT '',
  severity      TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (cve, seq)
) WITHOUT ROWID;
)sql";

constexpr std::array kMigrations{
    Migration{1, kSchemaV1}, Migration{2, kSchemaV2}, Migration{3, kSchemaV3},
    Migration{4, kSchemaV4}, Migration{5, kSchemaV5}, Migration{6, kSchemaV6},
    Migration{7, kSchemaV7}, Migration{8, kSchemaV8},
};

constexpr std::size_t kHeaderSize = 100;
constexpr std::size_t kUserVersionOffset = 60;  // https://www.sqlite.org/fileformat.html
constexpr std::size_t kApplicationIdOffset = 68;
constexpr std::string_view kMagic{"SQLite format 3\0", 16};

Result<> check_list(std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return fail(Errc::internal, "migration list: entry " + std::to_string(i) + " has version " +
                                      std::to_string(migrations[i].version) + ", expected " +
                                      std::to_string(i + 1));
    }
  }
  return {};
}

Result<> apply(Database& db, const Migration& m) {
  PP_TRY(tx, Transaction::begin(db));
  // Another writer may have migrated between our read of the version and BEGIN IMMEDIATE.
  PP_TRY(current, schema_version(db));
  if (current >= m.version) return {};
  PP_CHECK(db.exec(m.sql));
  PP_CHECK(db.exec("PRAGMA user_version = " + std::to_string(m.version)));
  // foreign_keys cannot be switched inside a transaction, so a migration that rebuilds a table
  // could leave dangling references unnoticed; this check makes it fail instead.
  PP_TRY(check, db.prepare("PRAGMA foreign_key_check"));
  PP_TRY(violation, check.step());
  if (violation) {
    return fail(Errc::internal, "leaves a foreign key violation in table " + check.column_text(0));
  }
  return tx.commit();
}

// The mode SQLite ended up in: it answers with the old mode when WAL is impossible.
Result<std::string> journal_mode_wal(Database& db) {
  PP_TRY(journal, db.prepare("PRAGMA journal_mode = WAL"));
  PP_TRY(has_mode, journal.step());
  return has_mode ? journal.column_text(0) : std::string();
}

}  // namespace

std::span<const Migration> schema_migrations() {
  return kMigrations;
}

int code_schema_version() {
  return kMigrations.back().version;
}

Result<FileHeader> read_file_header(const std::filesystem::path& file) {
  File f{std::fopen(file.c_str(), "rb")};
  if (!f) {
    if (errno == ENOENT) return FileHeader{};
    return tl::make_unexpected(errno_error(errno, file.string()));
  }
  unsigned char header[kHeaderSize];
  std::size_t n = std::fread(header, 1, sizeof header, f.get());
  if (n == 0 && std::ferror(f.get()) == 0) return FileHeader{};  // SQLite writes on first table
  if (n < kHeaderSize || std::memcmp(header, kMagic.data(), kMagic.size()) != 0) {
    return fail(Errc::data_loss, file.string() + ": not an SQLite database");
  }
  auto big_endian = [&](std::size_t offset) {  // as all header fields
    const unsigned char* p = header + offset;
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
  };
  auto version = static_cast<std::int32_t>(big_endian(kUserVersionOffset));
  if (version < 0) {
    return fail(Errc::data_loss, file.string() + ": schema version " + std::to_string(version) +
                                     " is not a patchparty schema");
  }
  return FileHeader{version, big_endian(kApplicationIdOffset)};
}

Result<int> schema_version(Database& db) {
  PP_TRY(version, db.query_int64("PRAGMA user_version"));
  if (version < 0) {
    return fail(Errc::data_loss, db.name() + ": schema version " + std::to_string(version) +
                                     " is not a patchparty schema");
  }
  return static_cast<int>(version);
}

Result<> refuse_newer_schema(std::string_view where, int found, int known) {
  if (found <= known) return {};
  return fail(Errc::failed_precondition,
              std::string(where) + ": schema version " + std::to_string(found) +
                  " is newer than this patchparty (" + std::to_string(known) +
                  "); upgrade patchparty or restore a backup");
}

Result<> refuse_foreign(std::string_view where, std::uint32_t application_id) {
  if (application_id == 0 || application_id == kApplicationId) return {};
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%08x", static_cast<unsigned>(application_id));
  return fail(Errc::failed_precondition, std::string(where) + ": application id " + hex +
                                             " is not patchparty's; is the state directory right?");
}

Result<> check_ours(Database& db, int known) {
  PP_TRY(application_id, db.query_int64("PRAGMA application_id"));
  PP_CHECK(refuse_foreign(db.name(), static_cast<std::uint32_t>(application_id)));
  PP_TRY(current, schema_version(db));
  PP_CHECK(refuse_newer_schema(db.name(), current, known));
  if (current == 0) {
    PP_TRY(objects, db.query_int64("SELECT count(*) FROM sqlite_schema"));
    if (objects > 0) {
      return fail(Errc::failed_precondition,
                  db.name() +
                      ": has tables but no schema version, so it is not a patchparty "
                      "database; is the state directory right?");
    }
  }
  return {};
}

Result<int> migrate(Database& db, std::span<const Migration> migrations) {
  PP_CHECK(check_list(migrations));
  int known = migrations.empty() ? 0 : migrations.back().version;
  PP_CHECK(check_ours(db, known));
  PP_TRY(current, schema_version(db));
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    auto applied = apply(db, m);
    if (!applied) {
      return tl::make_unexpected(with_context(
          std::move(applied).error(), db.name() + ": migration " + std::to_string(m.version)));
    }
  }
  return schema_version(db);
}

Result<Database> open_for_writing(const std::filesystem::path& file,
                                  std::span<const Migration> migrations,
                                  std::chrono::milliseconds busy_timeout) {
  int known = migrations.empty() ? 0 : migrations.back().version;
  // First from the raw header: opening a WAL database with SQLite, even to read, creates -wal and
  // -shm files, and a newer patchparty's database must be left exactly as it is.
  PP_TRY(header, read_file_header(file));
  PP_CHECK(refuse_foreign(file.string(), header.application_id));
  PP_CHECK(refuse_newer_schema(file.string(), header.schema_version, known));

  PP_TRY(db, Database::open(file, Database::Mode::read_write_create, busy_timeout));
  // Again through SQLite, which also sees committed transactions still in a -wal file.
  PP_CHECK(check_ours(db, known));

  PP_TRY(mode, journal_mode_wal(db));
  if (mode != "wal") {
    return fail(Errc::failed_precondition,
                file.string() + ": cannot use WAL journal mode (got '" + mode +
                    "'); put the state directory on a local file system");
  }
  // NORMAL is durable enough in WAL mode: a power cut may lose the last commits, never
  // consistency, and inventories and feeds are simply taken again.
  // The -wal file keeps its largest size until truncated; one big feed import should not leave
  // hundreds of megabytes behind for good.
  PP_CHECK(
      db.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
              "PRAGMA journal_size_limit = 67108864"));
  PP_CHECK(migrate(db, migrations));
  return db;
}

}  // namespace patchparty::store
