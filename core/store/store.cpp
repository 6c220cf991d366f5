#include "core/store/store.h"

#include <algorithm>
#include <system_error>
#include <utility>

#include "core/base/error_context.h"
#include "core/store/migrations.h"

namespace patchparty::store {
namespace {

constexpr std::string_view kPackageColumns =
    "ecosystem, name, version, source_name, source_version, arch, origin, project, location, dev, "
    "optional, supplier, third_party, supplier_newest, module_stream";

Result<> bind_package(Statement& insert, std::int64_t snapshot_id, const Package& p) {
  PP_CHECK(insert.bind_int64(1, snapshot_id));
  PP_CHECK(insert.bind_text(2, p.ecosystem));
  PP_CHECK(insert.bind_text(3, p.name));
  PP_CHECK(insert.bind_text(4, p.version));
  PP_CHECK(insert.bind_text(5, p.source_name));
  PP_CHECK(insert.bind_text(6, p.source_version));
  PP_CHECK(insert.bind_text(7, p.arch));
  PP_CHECK(insert.bind_text(8, p.origin));
  PP_CHECK(insert.bind_text(9, p.project));
  PP_CHECK(insert.bind_text(10, p.location));
  PP_CHECK(insert.bind_int64(11, p.dev ? 1 : 0));
  PP_CHECK(insert.bind_int64(12, p.optional ? 1 : 0));
  PP_CHECK(insert.bind_text(13, p.supplier));
  PP_CHECK(insert.bind_int64(14, p.third_party ? 1 : 0));
  PP_CHECK(insert.bind_text(15, p.supplier_newest));
  PP_CHECK(insert.bind_text(16, p.module_stream));
  return {};
}

// Error texts can quote the untrusted input that caused them.
constexpr std::size_t kMaxErrorBytes = 4096;

// At most `max` bytes, cut before a UTF-8 continuation byte rather than inside a character.
std::string_view clip_utf8(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  while (max > 0 && (static_cast<unsigned char>(s[max]) & 0xC0) == 0x80) --max;
  return s.substr(0, max);
}

// Both sides of a version mismatch for a reader, which must not migrate.
Result<> require_current_schema(const std::filesystem::path& file, int found) {
  int known = code_schema_version();
  PP_CHECK(refuse_newer_schema(file.string(), found, known));
  if (found < known) {
    return fail(Errc::failed_precondition,
                file.string() + ": schema version " + std::to_string(found) +
                    " is older than this patchparty (" + std::to_string(known) +
                    "); start patchpartyd of this version once to migrate it");
  }
  return {};
}

// A scan reads thousands of advisory records scattered over the file; through mmap those reads
// are memory accesses instead of a pread() and a copy each (about half of a scan's time). Only
// address space is reserved; the pages are the kernel's page cache, shared and reclaimable.
Result<> map_for_reading(Database& db) {
  return db.exec("PRAGMA mmap_size = 1073741824");
}

}  // namespace

std::filesystem::path Store::database_file(const std::filesystem::path& state_dir) {
  return state_dir / kDatabaseFileName;
}

Result<Store> Store::open(const std::filesystem::path& state_dir, const StoreOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) return tl::make_unexpected(errno_error(ec.value(), state_dir.string()));
  std::filesystem::path file = database_file(state_dir);

  PP_TRY(db, open_for_writing(file, schema_migrations(), options.busy_timeout));
  PP_CHECK(map_for_reading(db));
  if (options.max_bytes > 0) {
    PP_TRY(page_size, db.query_int64("PRAGMA page_size"));
    std::int64_t pages = std::max<std::int64_t>(1, options.max_bytes / page_size);
    PP_CHECK(db.exec("PRAGMA max_page_count = " + std::to_string(pages)));
  }
  return Store(std::move(db), std::move(file), false);
}

Result<Store> Store::open_read_only(const std::filesystem::path& state_dir,
                                    const StoreOptions& options) {
  std::filesystem::path file = database_file(state_dir);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    if (ec) return tl::make_unexpected(errno_error(ec.value(), file.string()));
    return fail(Errc::not_found, file.string() +
                                     ": no database; patchpartyd creates it when it first runs "
                                     "(is the state directory right?)");
  }
  // The header first, for the same reason as the writer: SQLite opening a WAL file would leave
  // -wal and -shm files beside a database that is not ours to touch. Only "newer" can be decided
  // here: while the writer runs, its latest migration may still sit in the -wal, not the header.
  PP_TRY(header, read_file_header(file));
  PP_CHECK(refuse_foreign(file.string(), header.application_id));
  PP_CHECK(refuse_newer_schema(file.string(), header.schema_version, code_schema_version()));
  PP_TRY(db, Database::open(file, Database::Mode::read_only, options.busy_timeout));
  PP_CHECK(check_ours(db, code_schema_version()));
  PP_CHECK(map_for_reading(db));
  PP_TRY(current, store::schema_version(db));
  PP_CHECK(require_current_schema(file, current));
  return Store(std::move(db), std::move(file), true);
}

Result<> Store::check_writable() const {
  if (!read_only_) return {};
  return fail(Errc::failed_precondition, file_.string() + ": opened read-only");
}

Result<std::int64_t> Store::save_inventory(std::string_view source, std::string_view project,
                                           const std::vector<Package>& packages,
                                           std::int64_t taken_at) {
  PP_CHECK(check_writable());
  std::string context = "save inventory " + std::string(source);
  if (!project.empty()) context += " (" + std::string(project) + ")";
  auto saved = [&]() -> Result<std::int64_t> {
    PP_TRY(tx, Transaction::begin(db_));
    PP_TRY(snapshot, db_.prepare("INSERT INTO inventory_snapshots (taken_at, source, project, "
                                 "package_count, ok) VALUES (?1, ?2, ?3, ?4, 1)"));
    PP_CHECK(snapshot.bind_int64(1, taken_at));
    PP_CHECK(snapshot.bind_text(2, source));
    PP_CHECK(snapshot.bind_text(3, project));
    PP_CHECK(snapshot.bind_int64(4, static_cast<std::int64_t>(packages.size())));
    PP_CHECK(snapshot.run());
    std::int64_t id = db_.last_insert_rowid();

    PP_TRY(insert,
           db_.prepare(
               "INSERT INTO inventory_packages (snapshot_id, " + std::string(kPackageColumns) +
               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"));
    for (std::size_t i = 0; i < packages.size(); ++i) {
      const Package& p = packages[i];
      auto inserted = bind_package(insert, id, p).and_then([&] { return insert.run(); });
      if (!inserted) {
        return tl::make_unexpected(
            with_context(std::move(inserted).error(),
                         "package " + std::to_string(i) + " '" + p.name + "' " + p.version));
      }
      insert.reset();
    }
    PP_CHECK(tx.commit());
    return id;
  }();
  return with_context(std::move(saved), context);
}

Result<> Store::record_inventory_failure(std::string_view source, std::string_view project,
                                         std::string_view error, std::int64_t taken_at) {
  PP_CHECK(check_writable());
  PP_TRY(insert,
         db_.prepare("INSERT INTO inventory_snapshots (taken_at, source, project, package_count, "
                     "ok, error) VALUES (?1, ?2, ?3, 0, 0, ?4)"));
  PP_CHECK(insert.bind_int64(1, taken_at));
  PP_CHECK(insert.bind_text(2, source));
  PP_CHECK(insert.bind_text(3, project));
  // An empty message would read as success to anyone looking at the error column alone.
  if (error.empty()) error = "unknown error";
  PP_CHECK(insert.bind_text(4, clip_utf8(error, kMaxErrorBytes)));
  return insert.run();
}

Result<std::vector<Package>> Store::read_packages(Statement& query) {
  std::vector<Package> packages;
  while (true) {
    PP_TRY(row, query.step());
    if (!row) break;
    Package& p = packages.emplace_back();
    p.ecosystem = query.column_text(0);
    p.name = query.column_text(1);
    p.version = query.column_text(2);
    p.source_name = query.column_text(3);
    p.source_version = query.column_text(4);
    p.arch = query.column_text(5);
    p.origin = query.column_text(6);
    p.project = query.column_text(7);
    p.location = query.column_text(8);
    p.dev = query.column_int64(9) != 0;
    p.optional = query.column_int64(10) != 0;
    p.supplier = query.column_text(11);
    p.third_party = query.column_int64(12) != 0;
    p.supplier_newest = query.column_text(13);
    p.module_stream = query.column_text(14);
  }
  return packages;
}

Result<std::vector<Package>> Store::latest_inventory() {
  PP_TRY(query, db_.prepare("SELECT " + std::string(kPackageColumns) +
                            " FROM inventory_packages WHERE snapshot_id IN ("
                            "SELECT max(id) FROM inventory_snapshots WHERE ok = 1 "
                            "GROUP BY source, project) ORDER BY snapshot_id, rowid"));
  return read_packages(query);
}

Result<std::vector<Package>> Store::inventory(std::int64_t snapshot_id) {
  PP_TRY(exists, db_.prepare("SELECT ok FROM inventory_snapshots WHERE id = ?1"));
  PP_CHECK(exists.bind_int64(1, snapshot_id));
  PP_TRY(found, exists.step());
  if (!found) {
    return fail(Errc::not_found, file_.string() + ": no snapshot " + std::to_string(snapshot_id));
  }
  PP_TRY(query, db_.prepare("SELECT " + std::string(kPackageColumns) +
                            " FROM inventory_packages WHERE snapshot_id = ?1 ORDER BY rowid"));
  PP_CHECK(query.bind_int64(1, snapshot_id));
  return read_packages(query);
}

Result<std::vector<SnapshotInfo>> Store::snapshots(const SnapshotFilter& filter) {
  PP_TRY(query, db_.prepare("SELECT id, taken_at, source, project, package_count, ok, error "
                            "FROM inventory_snapshots "
                            "WHERE (?1 IS NULL OR source = ?1) AND (?2 IS NULL OR project = ?2) "
                            "ORDER BY id DESC LIMIT ?3"));
  PP_CHECK(filter.source ? query.bind_text(1, *filter.source) : query.bind_null(1));
  PP_CHECK(filter.project ? query.bind_text(2, *filter.project) : query.bind_null(2));
  PP_CHECK(query.bind_int64(3, filter.limit > 0 ? filter.limit : -1));  // SQLite: -1 = no limit
  std::vector<SnapshotInfo> out;
  while (true) {
    PP_TRY(row, query.step());
    if (!row) break;
    SnapshotInfo& s = out.emplace_back();
    s.id = query.column_int64(0);
    s.taken_at = query.column_int64(1);
    s.source = query.column_text(2);
    s.project = query.column_text(3);
    s.package_count = query.column_int64(4);
    s.ok = query.column_int64(5) != 0;
    s.error = query.column_text(6);
  }
  return out;
}

Result<std::int64_t> Store::prune_snapshots(int keep_per_source) {
  PP_CHECK(check_writable());
  if (keep_per_source < 1) {
    return fail(Errc::invalid_argument,
                "prune snapshots: keep_per_source must be at least 1, not " +
                    std::to_string(keep_per_source));
  }
  PP_TRY(tx, Transaction::begin(db_));
  PP_TRY(prune,
         db_.prepare("DELETE FROM inventory_snapshots WHERE id IN ("
                     " SELECT id FROM ("
                     "  SELECT id,"
                     "   row_number() OVER (PARTITION BY source, project ORDER BY id DESC) AS age,"
                     "   max(CASE WHEN ok = 1 THEN id END) OVER (PARTITION BY source, project)"
                     "    AS newest_ok"
                     "  FROM inventory_snapshots)"
                     " WHERE age > ?1 AND id IS NOT newest_ok)"));
  PP_CHECK(prune.bind_int64(1, keep_per_source));
  PP_CHECK(prune.run());
  std::int64_t deleted = db_.changes();
  PP_CHECK(tx.commit());
  return deleted;
}

Result<int> Store::schema_version() {
  return store::schema_version(db_);
}

}  // namespace patchparty::store
