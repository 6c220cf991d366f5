#include "collectors/inventory/rpm_db.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>
#include <utility>

#include "collectors/inventory/rpmdb_bdb.h"
#include "collectors/inventory/rpmdb_ndb.h"
#include "core/base/bounded_file.h"
#include "core/base/c_handles.h"

namespace patchparty::inventory {

namespace {

// The limits rpm itself enforces on imported headers (hdrchkTags, hdrchkData in header.c).
constexpr std::uint32_t kMaxIndexEntries = 0xffff;
constexpr std::uint32_t kMaxDataBytes = 0x0fffffff;
constexpr std::size_t kPreambleBytes = 8;
constexpr std::size_t kEntryBytes = 16;

enum TagType : std::uint32_t {
  kNull = 0,
  kChar = 1,
  kInt8 = 2,
  kInt16 = 3,
  kInt32 = 4,
  kInt64 = 5,
  kString = 6,
  kBin = 7,
  kStringArray = 8,
  kI18nString = 9,
};

enum Tag : std::uint32_t {
  kTagName = 1000,
  kTagVersion = 1001,
  kTagRelease = 1002,
  kTagEpoch = 1003,
  kTagArch = 1022,
  kTagSourceRpm = 1044,
  kTagModularityLabel = 5096,
};

// Names and versions reach metric labels, reports and command lines. rpmbuild accepts neither
// whitespace nor control characters in them, nor '-' in version or release, where it would make
// "version-release" ambiguous.
bool is_token(std::string_view s, bool dash_allowed) {
  return std::all_of(s.begin(), s.end(),
                     [&](char c) { return c > ' ' && c < 0x7f && (dash_allowed || c != '-'); });
}

std::uint32_t be32(std::string_view bytes, std::size_t at) {
  auto b = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i]));
  };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

struct Entry {
  std::uint32_t tag, type, offset, count;
};

std::string entry_where(std::size_t index, const Entry& e) {
  return "rpm header: index entry " + std::to_string(index) + " (tag " + std::to_string(e.tag) +
         ")";
}

// Bounds of one entry against the data store, in O(1) so a blob with many entries pointing at
// one large region costs no more than its size. The NUL terminators of strings are only looked
// for in the tags that are read.
Result<> check_entry(std::size_t index, const Entry& e, std::uint64_t data_size) {
  if (e.type > kI18nString)
    return fail(Errc::data_loss,
                entry_where(index, e) + ": unknown type " + std::to_string(e.type));
  if (e.offset > data_size)
    return fail(Errc::data_loss, entry_where(index, e) + ": offset " + std::to_string(e.offset) +
                                     " beyond the data store of " + std::to_string(data_size) +
                                     " bytes");
  const std::uint64_t room = data_size - e.offset;
  std::uint64_t need = 0;
  switch (e.type) {
    case kNull:
      break;
    case kChar:
    case kInt8:
    case kBin:
      need = e.count;
      break;
    case kInt16:
      need = std::uint64_t{e.count} * 2;
      break;
    case kInt32:
      need = std::uint64_t{e.count} * 4;
      break;
    case kInt64:
      need = std::uint64_t{e.count} * 8;
      break;
    case kString:
      if (e.count != 1)
        return fail(Errc::data_loss,
                    entry_where(index, e) + ": string with count " + std::to_string(e.count));
      need = 1;
      break;
    default:  // string arrays: at least one byte (the NUL) per string
      need = e.count;
      break;
  }
  if (need > room)
    return fail(Errc::data_loss, entry_where(index, e) + ": " + std::to_string(need) +
                                     " bytes at offset " + std::to_string(e.offset) +
                                     " run past the data store of " + std::to_string(data_size) +
                                     " bytes");
  return {};
}

Result<std::string> read_string(std::string_view data, std::size_t index, const Entry& e) {
  if (e.type != kString && e.type != kStringArray && e.type != kI18nString)
    return fail(Errc::data_loss,
                entry_where(index, e) + ": type " + std::to_string(e.type) + ", expected a string");
  if (e.count == 0) return fail(Errc::data_loss, entry_where(index, e) + ": empty string array");
  std::string_view rest = data.substr(e.offset);
  const auto nul = rest.find('\0');
  if (nul == std::string_view::npos)
    return fail(Errc::data_loss, entry_where(index, e) + ": string without a terminating NUL");
  return std::string(rest.substr(0, nul));
}

Result<std::uint32_t> read_int32(std::string_view data, std::size_t index, const Entry& e) {
  if (e.type != kInt32 || e.count == 0)
    return fail(Errc::data_loss, entry_where(index, e) + ": type " + std::to_string(e.type) +
                                     " count " + std::to_string(e.count) + ", expected one int32");
  return be32(data, e.offset);
}

// Escapes a path for an SQLite "file:" URI, which gives '?', '#' and '%' a meaning.
std::string file_uri(const std::filesystem::path& file, bool immutable) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file:";
  for (unsigned char c : file.native()) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '/' || c == '.' || c == '_' || c == '-' || c == '~';
    if (plain) {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 0xf];
    }
  }
  uri += immutable ? "?mode=ro&immutable=1" : "?mode=ro";
  return uri;
}

Error sqlite_error(const std::filesystem::path& file, sqlite3* db, int rc, std::string_view doing) {
  Errc code = Errc::internal;
  std::string hint;
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
      code = Errc::failed_precondition;
      hint = " (not an SQLite rpmdb)";
      break;
    case SQLITE_CORRUPT:
      code = Errc::data_loss;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
      code = Errc::unavailable;
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      code = Errc::failed_precondition;
      break;
    case SQLITE_NOMEM:
    case SQLITE_FULL:
    case SQLITE_TOOBIG:
      code = Errc::resource_exhausted;
      break;
    default:
      break;
  }
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Error{code, "rpmdb " + file.string() + ": " + std::string(doing) + ": " + detail + hint};
}

// Opening and the first read are where a WAL database shows it cannot be read in place.
struct OpenFailure {
  int rc;
  Error error;
};

tl::expected<SqliteDb, OpenFailure> open_rpmdb(const std::filesystem::path& file, bool immutable) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file_uri(file, immutable).c_str(), &raw,
                                 SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
  SqliteDb db{raw};
  if (rc != SQLITE_OK)
    return tl::make_unexpected(OpenFailure{rc, sqlite_error(file, db.get(), rc, "open")});
  sqlite3_extended_result_codes(db.get(), 1);
  // rpm holds its write transactions briefly; a reader in rollback-journal mode may wait.
  sqlite3_busy_timeout(db.get(), 2000);

  sqlite3_stmt* raw_stmt = nullptr;
  int prc = sqlite3_prepare_v2(
      db.get(), "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'Packages'", -1,
      &raw_stmt, nullptr);
  SqliteStmt stmt{raw_stmt};
  if (prc != SQLITE_OK)
    return tl::make_unexpected(OpenFailure{prc, sqlite_error(file, db.get(), prc, "read schema")});
  const int src = sqlite3_step(stmt.get());
  if (src == SQLITE_DONE)
    return tl::make_unexpected(OpenFailure{
        SQLITE_OK, Error{Errc::failed_precondition,
                         "rpmdb " + file.string() + ": no Packages table, not an rpm database"}});
  if (src != SQLITE_ROW)
    return tl::make_unexpected(OpenFailure{src, sqlite_error(file, db.get(), src, "read schema")});
  return db;
}

}  // namespace

Result<RpmHeader> parse_rpm_header(std::string_view blob) {
  if (blob.size() < kPreambleBytes)
    return fail(Errc::data_loss, "rpm header: " + std::to_string(blob.size()) +
                                     " bytes, shorter than the 8-byte preamble");
  const std::uint32_t index_count = be32(blob, 0);
  const std::uint32_t data_size = be32(blob, 4);
  if (index_count == 0 || index_count > kMaxIndexEntries)
    return fail(Errc::data_loss,
                "rpm header: implausible index count " + std::to_string(index_count));
  if (data_size > kMaxDataBytes)
    return fail(Errc::data_loss, "rpm header: implausible data size " + std::to_string(data_size));
  const std::uint64_t expected =
      kPreambleBytes + std::uint64_t{index_count} * kEntryBytes + data_size;
  if (blob.size() != expected)
    return fail(Errc::data_loss, "rpm header: blob is " + std::to_string(blob.size()) +
                                     " bytes, its preamble says " + std::to_string(expected));
  const std::size_t data_start = kPreambleBytes + std::size_t{index_count} * kEntryBytes;
  const std::string_view data = blob.substr(data_start);

  // Index of the first entry for each wanted tag; rpm keeps one entry per tag.
  constexpr std::array<std::uint32_t, 7> kWanted = {
      kTagName, kTagVersion, kTagRelease, kTagEpoch, kTagArch, kTagSourceRpm, kTagModularityLabel};
  std::array<std::optional<std::size_t>, kWanted.size()> found;
  std::vector<Entry> entries(index_count);
  for (std::size_t i = 0; i < index_count; ++i) {
    const std::size_t at = kPreambleBytes + i * kEntryBytes;
    Entry e{be32(blob, at), be32(blob, at + 4), be32(blob, at + 8), be32(blob, at + 12)};
    PP_CHECK(check_entry(i, e, data_size));
    entries[i] = e;
    for (std::size_t w = 0; w < kWanted.size(); ++w)
      if (e.tag == kWanted[w] && !found[w]) found[w] = i;
  }

  auto string_tag = [&](std::size_t w) -> Result<std::string> {
    if (!found[w]) return std::string();
    return read_string(data, *found[w], entries[*found[w]]);
  };
  RpmHeader h;
  PP_TRY(name, string_tag(0));
  PP_TRY(version, string_tag(1));
  PP_TRY(release, string_tag(2));
  PP_TRY(arch, string_tag(4));
  PP_TRY(source_rpm, string_tag(5));
  PP_TRY(modularity_label, string_tag(6));
  if (!found[0] || name.empty()) return fail(Errc::data_loss, "rpm header: no NAME");
  if (!is_token(name, true))
    return fail(Errc::data_loss, "rpm header: NAME is not printable ASCII without spaces");
  if (!found[1]) return fail(Errc::data_loss, "rpm header: " + name + ": no VERSION");
  if (!found[2]) return fail(Errc::data_loss, "rpm header: " + name + ": no RELEASE");
  if (version.empty() || !is_token(version, false) || release.empty() || !is_token(release, false))
    return fail(Errc::data_loss, "rpm header: " + name + ": implausible VERSION or RELEASE");
  if (!is_token(arch, true))
    return fail(Errc::data_loss,
                "rpm header: " + name + ": ARCH is not printable ASCII without spaces");
  if (found[3]) {
    PP_TRY(epoch, read_int32(data, *found[3], entries[*found[3]]));
    h.epoch = epoch;
  }
  h.name = std::move(name);
  h.version = std::move(version);
  h.release = std::move(release);
  h.arch = std::move(arch);
  h.source_rpm = std::move(source_rpm);
  // A label that is no module:stream:… token names nothing we could compare streams by.
  if (is_token(modularity_label, true) && modularity_label.find(':') != std::string::npos)
    h.modularity_label = std::move(modularity_label);
  return h;
}

std::string rpm_evr(const RpmHeader& header) {
  std::string evr;
  if (header.epoch) evr = std::to_string(*header.epoch) + ":";
  evr += header.version;
  evr += '-';
  evr += header.release;
  return evr;
}

std::optional<SourceRpmName> parse_source_rpm(std::string_view file_name) {
  for (std::string_view suffix : {std::string_view(".src.rpm"), std::string_view(".nosrc.rpm")}) {
    if (file_name.size() <= suffix.size() || !file_name.ends_with(suffix)) continue;
    const std::string_view nvr = file_name.substr(0, file_name.size() - suffix.size());
    // Name may contain '-', version and release may not: split from the right.
    const auto release_dash = nvr.rfind('-');
    if (release_dash == std::string_view::npos || release_dash == 0 ||
        release_dash + 1 == nvr.size())
      return std::nullopt;
    const auto version_dash = nvr.rfind('-', release_dash - 1);
    if (version_dash == std::string_view::npos || version_dash == 0 ||
        version_dash + 1 == release_dash)
      return std::nullopt;
    return SourceRpmName{std::string(nvr.substr(0, version_dash)),
                         std::string(nvr.substr(version_dash + 1))};
  }
  return std::nullopt;
}

Package rpm_package(const RpmHeader& header, std::string_view ecosystem) {
  Package p;
  p.ecosystem = std::string(ecosystem);
  p.name = header.name;
  p.version = rpm_evr(header);
  if (auto source = parse_source_rpm(header.source_rpm)) {
    p.source_name = std::move(source->name);
    p.source_version =
        (header.epoch ? std::to_string(*header.epoch) + ":" : std::string()) + source->version;
  } else {
    p.source_name = p.name;
    p.source_version = p.version;
  }
  p.arch = header.arch;
  p.origin = "rpm";
  // "perl:5.32:8100020240314082337:9fe1d287" -> "perl:5.32"
  const std::string& label = header.modularity_label;
  if (auto first = label.find(':'); first != std::string::npos)
    p.module_stream = label.substr(0, label.find(':', first + 1));
  return p;
}

std::optional<std::filesystem::path> find_rpmdb(const std::filesystem::path& root) {
  for (std::string_view candidate : kRpmdbSearchPaths) {
    auto file = under_root(root, candidate);
    std::error_code ec;
    if (std::filesystem::exists(file, ec)) return file;
  }
  return std::nullopt;
}

RpmDb::RpmDb(std::string ecosystem, std::filesystem::path db_file, std::filesystem::path root,
             std::size_t max_bytes)
    : ecosystem_(std::move(ecosystem)),
      db_file_(db_file.empty() ? std::filesystem::path() : under_root(root, db_file)),
      root_(std::move(root)),
      max_bytes_(max_bytes) {}

Result<std::vector<Package>> RpmDb::scan() {
  std::filesystem::path file = db_file_;
  if (file.empty()) {
    auto found = find_rpmdb(root_);
    if (!found) {
      std::string looked;
      for (std::string_view candidate : kRpmdbSearchPaths)
        looked += (looked.empty() ? "" : ", ") + under_root(root_, candidate).string();
      return fail(Errc::not_found, "rpmdb: none found (looked for " + looked + ")");
    }
    file = std::move(*found);
  }
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (ec) return tl::make_unexpected(errno_error(ec.value(), "rpmdb " + file.string()));
  if (std::filesystem::is_directory(status))
    return fail(Errc::invalid_argument, "rpmdb " + file.string() + ": is a directory");

  std::string head(kRpmdbMagicBytes, '\0');
  {
    std::ifstream in(file, std::ios::binary);
    if (!in) return tl::make_unexpected(errno_error(errno, "rpmdb " + file.string()));
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
  }
  auto format = detect_rpmdb_format(head);
  if (!format)
    return tl::make_unexpected(with_context(std::move(format).error(), "rpmdb " + file.string()));
  if (*format == RpmdbFormat::sqlite) return scan_sqlite(file);
  return scan_blobs(file, *format);
}

Result<std::vector<Package>> RpmDb::scan_blobs(const std::filesystem::path& file,
                                               RpmdbFormat format) {
  const std::string where = "rpmdb " + file.string();
  auto bytes = read_bounded_file(file, max_bytes_);
  if (!bytes) return tl::make_unexpected(with_context(std::move(bytes).error(), where));
  std::vector<std::pair<std::uint32_t, Package>> found;
  auto visit = [&](std::uint32_t hnum, std::string_view blob) -> Result<> {
    auto header = parse_rpm_header(blob);
    if (!header)
      return tl::make_unexpected(
          with_context(std::move(header).error(), "header " + std::to_string(hnum)));
    if (header->name == "gpg-pubkey") return {};
    Package p = rpm_package(*header, ecosystem_);
    p.location = file.string();
    found.emplace_back(hnum, std::move(p));
    return {};
  };
  auto read = format == RpmdbFormat::ndb ? read_ndb_packages(*bytes, visit)
                                         : read_bdb_hash_packages(*bytes, visit);
  if (!read) return tl::make_unexpected(with_context(std::move(read).error(), where));
  // The order of rpm -qa and of the SQLite reader: by header number, not by hash bucket.
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Package> packages;
  packages.reserve(found.size());
  for (auto& [hnum, p] : found) packages.push_back(std::move(p));
  return packages;
}

Result<std::vector<Package>> RpmDb::scan_sqlite(const std::filesystem::path& file) {
  auto opened = open_rpmdb(file, false);
  // A WAL database can be read in place only if its -shm file exists or can be created. rpm keeps
  // -wal and -shm beside rpmdb.sqlite so that users may query it, but a read-only image, or a
  // tool that removed them, leaves an unprivileged reader unable to set up the WAL index. Then
  // read the main file alone with immutable=1: rpm checkpoints the WAL when it closes the
  // database, so the file holds every finished transaction, and a scan racing an rpm
  // transaction at worst sees the state before it and is corrected by the next scan.
  if (!opened && ((opened.error().rc & 0xff) == SQLITE_READONLY ||
                  (opened.error().rc & 0xff) == SQLITE_CANTOPEN))
    opened = open_rpmdb(file, true);
  if (!opened) return tl::make_unexpected(std::move(opened.error().error));
  SqliteDb db = std::move(*opened);

  sqlite3_stmt* raw_stmt = nullptr;
  const int prc = sqlite3_prepare_v2(db.get(), "SELECT hnum, blob FROM Packages ORDER BY hnum", -1,
                                     &raw_stmt, nullptr);
  SqliteStmt stmt{raw_stmt};
  // A Packages table without rpm's columns: some other program's database.
  if ((prc & 0xff) == SQLITE_ERROR)
    return fail(Errc::failed_precondition, "rpmdb " + file.string() +
                                               ": the Packages table has no hnum and blob "
                                               "columns, not an rpm database (" +
                                               sqlite3_errmsg(db.get()) + ")");
  if (prc != SQLITE_OK)
    return tl::make_unexpected(sqlite_error(file, db.get(), prc, "read Packages"));

  std::vector<Package> packages;
  for (;;) {
    const int rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW)
      return tl::make_unexpected(sqlite_error(file, db.get(), rc, "read Packages"));
    const sqlite3_int64 hnum = sqlite3_column_int64(stmt.get(), 0);
    const void* bytes = sqlite3_column_blob(stmt.get(), 1);
    const int size = sqlite3_column_bytes(stmt.get(), 1);
    const std::string_view blob =
        bytes != nullptr
            ? std::string_view(static_cast<const char*>(bytes), static_cast<std::size_t>(size))
            : std::string_view();
    auto header = parse_rpm_header(blob);
    if (!header)
      return tl::make_unexpected(with_context(
          std::move(header.error()), "rpmdb " + file.string() + ": hnum " + std::to_string(hnum)));
    if (header->name == "gpg-pubkey") continue;
    Package p = rpm_package(*header, ecosystem_);
    p.location = file.string();
    packages.push_back(std::move(p));
  }
  return packages;
}

InventoryKind rpm_inventory_kind() {
  InventoryKind k;
  k.name = "rpm";
  k.plan = [](const config::InventoryConfig& inv,
              const std::string& ecosystem) -> std::optional<PlannedSource> {
    const auto max_bytes = static_cast<std::size_t>(inv.max_file_bytes);
    if (inv.rpm.path.empty()) {
      // Searched again at each scan: a host converted to another format keeps being read.
      auto found = find_rpmdb(inv.root);
      if (inv.rpm.enabled == config::Toggle::off) return std::nullopt;
      if (!found && inv.rpm.enabled == config::Toggle::automatic) return std::nullopt;
      return PlannedSource{
          "rpm", "",
          found ? found->string() : under_root(inv.root, kRpmdbSearchPaths.front()).string(),
          std::make_unique<RpmDb>(ecosystem, std::filesystem::path(), inv.root, max_bytes),
          std::nullopt};
    }
    auto file = under_root(inv.root, inv.rpm.path);
    if (!wanted(inv.rpm.enabled, file)) return std::nullopt;
    return PlannedSource{"rpm", "", file.string(),
                         std::make_unique<RpmDb>(ecosystem, inv.rpm.path, inv.root, max_bytes),
                         std::nullopt};
  };
  return k;
}

}  // namespace patchparty::inventory
