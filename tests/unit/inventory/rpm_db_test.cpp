#include "collectors/inventory/rpm_db.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/base/c_handles.h"
#include "tests/support/scratch_files.h"
#include "tests/support/test_data.h"
#include "tests/unit/inventory/rpmdb_fixtures.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;
using testing::expect_error;
using testing::file_bytes;
using ::testing::HasSubstr;

// Runs a shell command, returns its stdout; stderr goes to `log` so a failure can show it.
std::string run(const std::string& command, const fs::path& log) {
  struct Pipe {
    FILE* f;
    int close() {
      int s = ::pclose(f);
      f = nullptr;
      return s;
    }
    ~Pipe() {
      if (f != nullptr) ::pclose(f);
    }
  } pipe{::popen((command + " 2>>" + log.string()).c_str(), "r")};
  if (pipe.f == nullptr) {
    ADD_FAILURE() << "popen failed: " << command;
    return {};
  }
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe.f)) out.append(buf, n);
  const int status = pipe.close();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << command << " failed (" << status << "):\n"
      << file_bytes(log);
  return out;
}

constexpr const char* kSpecs[] = {
    // An Epoch and the build host's architecture.
    R"(Name: pp-hello
Version: 1.2.3
Release: 4.el9
Epoch: 2
Summary: test package
License: MIT
%description
test package
%files
)",
    // noarch, no Epoch, a tilde version.
    R"(Name: pp-data
Version: 0.9~rc1
Release: 1
Summary: test package
License: MIT
BuildArch: noarch
%description
test package
%files
)",
    // An explicit Epoch 0, and a subpackage whose source rpm is named for the main package.
    R"(Name: pp-tools
Version: 10.0
Release: 1.fc40
Epoch: 0
Summary: test package
License: MIT
%description
test package
%package -n pp-tools-libs
Summary: libraries
%description -n pp-tools-libs
libraries
%files
%files -n pp-tools-libs
)",
};

constexpr const char* kArchiveKey = "/etc/apt/trusted.gpg.d/debian-archive-bookworm-stable.asc";

// A real rpmdb written by rpm itself: three specs built with rpmbuild, registered with
// `rpm -i --justdb`, plus an imported OpenPGP key (a gpg-pubkey pseudo-package). The sqlite
// backend is asked for explicitly; it is also Debian 12's rpm 4.18 default, as on RHEL 9 and
// Fedora.
struct RealRpmDb {
  fs::path dir;
  fs::path db_dir;
  fs::path log;

  RealRpmDb() : dir(testing::temp_dir("rpm")), db_dir(dir / "db"), log(dir / "log") {
    fs::create_directories(dir / "top" / "SPECS");
    run(rpm_cmd("--initdb"), log);
    int i = 0;
    for (const char* spec : kSpecs) {
      const fs::path file = dir / "top" / "SPECS" / ("p" + std::to_string(i++) + ".spec");
      std::ofstream(file) << spec;
      run("rpmbuild --quiet --define '_topdir " + (dir / "top").string() + "' -bb " + file.string(),
          log);
    }
    run(rpm_cmd("-i --justdb --nodeps " + (dir / "top" / "RPMS").string() + "/*/*.rpm"), log);
    // Any real OpenPGP public key will do; debian-archive-keyring (an apt dependency) ships one
    // armored, so no key has to be generated.
    run(rpm_cmd("--import " + std::string(kArchiveKey)), log);
  }
  ~RealRpmDb() { fs::remove_all(dir); }

  fs::path file() const { return db_dir / "rpmdb.sqlite"; }

  std::string rpm_cmd(const std::string& args) const {
    return "rpm --define '_db_backend sqlite' --dbpath " + db_dir.string() + " " + args;
  }

  // rpm's own view, one "name\tepochnum:version-release\tevr\tarch\tsourcerpm" line a package.
  std::vector<std::string> rpm_query() const {
    std::istringstream out(run(
        "rpm -qa --dbpath " + db_dir.string() +
            " --qf "
            "'%{NAME}\\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\t%{EVR}\\t%{ARCH}\\t%{SOURCERPM}\\n'",
        log));
    std::vector<std::string> lines;
    for (std::string line; std::getline(out, line);) lines.push_back(line);
    std::sort(lines.begin(), lines.end());
    return lines;
  }
};

std::vector<std::string> as_rpm_query(const std::vector<Package>& packages) {
  std::vector<std::string> lines;
  for (const Package& p : packages) {
    // %{EPOCHNUM} prints 0 for a missing epoch; our version leaves it out.
    const std::string epochnum = p.version.find(':') == std::string::npos ? "0:" : "";
    auto source = p.source_name + "-" + p.source_version;
    if (auto colon = p.source_version.find(':'); colon != std::string::npos)
      source = p.source_name + "-" + p.source_version.substr(colon + 1);
    lines.push_back(p.name + "\t" + epochnum + p.version + "\t" + p.version + "\t" + p.arch + "\t" +
                    source + ".src.rpm");
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

const Package* find(const std::vector<Package>& packages, std::string_view name) {
  for (const Package& p : packages)
    if (p.name == name) return &p;
  return nullptr;
}

TEST(RpmDb, MatchesRpmQueryOnARealDatabase) {
  RealRpmDb real;
  auto packages = RpmDb("Red Hat", real.file()).scan();
  ASSERT_OK(packages);

  std::vector<std::string> expected = real.rpm_query();
  ASSERT_EQ(expected.size(), 5u) << "four packages and one gpg-pubkey";
  std::erase_if(expected, [](const std::string& l) { return l.starts_with("gpg-pubkey\t"); });
  ASSERT_EQ(expected.size(), 4u);
  EXPECT_EQ(as_rpm_query(*packages), expected);

  const Package* hello = find(*packages, "pp-hello");
  ASSERT_NE(hello, nullptr);
  EXPECT_EQ(hello->ecosystem, "Red Hat");
  EXPECT_EQ(hello->version, "2:1.2.3-4.el9");
  EXPECT_EQ(hello->source_name, "pp-hello");
  EXPECT_EQ(hello->source_version, "2:1.2.3-4.el9");
  EXPECT_NE(hello->arch, "noarch");
  EXPECT_FALSE(hello->arch.empty());
  EXPECT_EQ(hello->origin, "rpm");
  EXPECT_EQ(hello->location, real.file().string());

  const Package* data = find(*packages, "pp-data");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->version, "0.9~rc1-1");
  EXPECT_EQ(data->arch, "noarch");
  EXPECT_EQ(data->source_version, "0.9~rc1-1");

  const Package* libs = find(*packages, "pp-tools-libs");
  ASSERT_NE(libs, nullptr);
  EXPECT_EQ(libs->version, "0:10.0-1.fc40");
  EXPECT_EQ(libs->source_name, "pp-tools");
  EXPECT_EQ(libs->source_version, "0:10.0-1.fc40");
  EXPECT_EQ(find(*packages, "gpg-pubkey"), nullptr);
}

TEST(RpmDb, LeavesTheDatabaseAndItsWalFilesUntouched) {
  RealRpmDb real;
  auto listing = [&] {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(real.db_dir))
      names.insert(e.path().filename().string() + ":" +
                   std::to_string(e.is_regular_file() ? e.file_size() : 0));
    return names;
  };
  const auto before = listing();
  const std::string bytes = file_bytes(real.file());
  // rpm keeps -shm beside the database so that unprivileged users can query it; a reader that
  // checkpoints and deletes it on close breaks `rpm -q` for them.
  ASSERT_TRUE(before.count("rpmdb.sqlite-shm:32768")) << ::testing::PrintToString(before);
  ASSERT_OK(RpmDb("Red Hat", real.file()).scan());
  EXPECT_EQ(listing(), before);
  EXPECT_EQ(file_bytes(real.file()), bytes);
}

// Scans `db` as a user who cannot write to its directory: uid nobody when the test runs as
// root, else the directory is made read-only. Returns the package count or the error code name.
std::string scan_unprivileged(const fs::path& db) {
  if (::geteuid() != 0) {
    fs::permissions(db.parent_path(), fs::perms::owner_read | fs::perms::owner_exec);
    auto r = RpmDb("Red Hat", db).scan();
    fs::permissions(db.parent_path(), fs::perms::owner_all);
    return r ? std::to_string(r->size()) : std::string(errc_name(r.error().code));
  }
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    std::string answer = "setuid failed";
    if (::setgid(65534) == 0 && ::setuid(65534) == 0) {
      auto r = RpmDb("Red Hat", db).scan();
      answer = r ? std::to_string(r->size()) : r.error().to_string();
    }
    if (::write(fds[1], answer.data(), answer.size()) < 0) ::_exit(2);
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string answer;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) answer.append(buf, n);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return answer;
}

TEST(RpmDb, ReadsAsAnUnprivilegedUserWithTheShmFilePresent) {
  RealRpmDb real;
  const fs::path copy = testing::temp_dir("ro");
  for (const char* f : {"rpmdb.sqlite", "rpmdb.sqlite-shm", "rpmdb.sqlite-wal"})
    fs::copy_file(real.db_dir / f, copy / f);
  EXPECT_EQ(scan_unprivileged(copy / "rpmdb.sqlite"), "4");
  fs::remove_all(copy);
}

TEST(RpmDb, ReadsAsAnUnprivilegedUserWithoutTheShmFile) {
  RealRpmDb real;
  const fs::path copy = testing::temp_dir("ro");
  fs::copy_file(real.file(), copy / "rpmdb.sqlite");
  // sqlite3 itself fails here ("attempt to write a readonly database"): the immutable fallback.
  EXPECT_EQ(scan_unprivileged(copy / "rpmdb.sqlite"), "4");
  EXPECT_FALSE(fs::exists(copy / "rpmdb.sqlite-shm"));
  fs::remove_all(copy);
}

TEST(RpmDb, PrefixesTheRootDirectory) {
  RealRpmDb real;
  const fs::path root = testing::temp_dir("root");
  fs::create_directories(root / "var/lib/rpm");
  fs::copy_file(real.file(), root / "var/lib/rpm/rpmdb.sqlite");
  auto packages = RpmDb("Red Hat", std::string(RpmDb::kDefaultPath), root).scan();
  ASSERT_OK(packages);
  EXPECT_EQ(packages->size(), 4u);
  EXPECT_EQ(packages->front().location, (root / "var/lib/rpm/rpmdb.sqlite").string());
  fs::remove_all(root);
}

// Copies the database and rewrites one package's blob with `mutate`.
fs::path corrupt_copy(const RealRpmDb& real, const fs::path& dir, int hnum,
                      const std::function<std::string(std::string)>& mutate) {
  const fs::path copy = dir / "rpmdb.sqlite";
  fs::remove(copy);
  fs::copy_file(real.file(), copy);
  sqlite3* raw = nullptr;
  const int orc = sqlite3_open_v2(copy.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  SqliteDb db{raw};
  EXPECT_EQ(orc, SQLITE_OK);
  sqlite3_stmt* raw_get = nullptr;
  sqlite3_prepare_v2(db.get(), "SELECT blob FROM Packages WHERE hnum = ?", -1, &raw_get, nullptr);
  SqliteStmt get{raw_get};
  sqlite3_bind_int(get.get(), 1, hnum);
  EXPECT_EQ(sqlite3_step(get.get()), SQLITE_ROW);
  std::string blob(static_cast<const char*>(sqlite3_column_blob(get.get(), 0)),
                   static_cast<std::size_t>(sqlite3_column_bytes(get.get(), 0)));
  const std::string changed = mutate(blob);
  sqlite3_stmt* raw_put = nullptr;
  sqlite3_prepare_v2(db.get(), "UPDATE Packages SET blob = ? WHERE hnum = ?", -1, &raw_put,
                     nullptr);
  SqliteStmt put{raw_put};
  sqlite3_bind_blob(put.get(), 1, changed.data(), static_cast<int>(changed.size()),
                    SQLITE_TRANSIENT);
  sqlite3_bind_int(put.get(), 2, hnum);
  EXPECT_EQ(sqlite3_step(put.get()), SQLITE_DONE);
  return copy;
}

TEST(RpmDb, CorruptBlobIsDataLossNamingTheHnum) {
  RealRpmDb real;
  const fs::path dir = testing::temp_dir("corrupt");
  const std::vector<std::pair<std::string, std::function<std::string(std::string)>>> cases = {
      {"truncated", [](std::string b) { return b.substr(0, b.size() / 2); }},
      {"preamble only", [](std::string b) { return b.substr(0, 8); }},
      {"empty", [](std::string) { return std::string(); }},
      {"index count flipped",
       [](std::string b) {
         b[3] = static_cast<char>(b[3] ^ 0x40);
         return b;
       }},
      {"first offset past the end",
       [](std::string b) {
         b.replace(8 + 8, 1, "\x7f");
         return b;
       }},
      {"first count huge",
       [](std::string b) {
         b.replace(8 + 12, 1, "\x7f");
         return b;
       }},
      {"trailing byte", [](std::string b) { return b + "x"; }},
  };
  for (const auto& [what, mutate] : cases) {
    SCOPED_TRACE(what);
    const fs::path copy = corrupt_copy(real, dir, 2, mutate);
    auto r = RpmDb("Red Hat", copy).scan();
    expect_error(r, Errc::data_loss, "hnum 2: rpm header");
  }
  fs::remove_all(dir);
}

TEST(RpmDb, FlippedBytesNeverCrash) {
  RealRpmDb real;
  // Every 7th byte of one real header, XOR 0xff: each parse either succeeds or is data_loss.
  int errors = 0;
  int parsed = 0;
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2(real.file().c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  SqliteDb db{raw};
  sqlite3_stmt* raw_stmt = nullptr;
  sqlite3_prepare_v2(db.get(), "SELECT blob FROM Packages WHERE hnum = 1", -1, &raw_stmt, nullptr);
  SqliteStmt stmt{raw_stmt};
  ASSERT_EQ(sqlite3_step(stmt.get()), SQLITE_ROW);
  const std::string blob(static_cast<const char*>(sqlite3_column_blob(stmt.get(), 0)),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt.get(), 0)));
  ASSERT_OK(parse_rpm_header(blob));
  for (std::size_t i = 0; i < blob.size(); i += 7) {
    std::string b = blob;
    b[i] = static_cast<char>(b[i] ^ 0xff);
    auto r = parse_rpm_header(b);
    if (r) {
      ++parsed;
    } else {
      ++errors;
      EXPECT_EQ(r.error().code, Errc::data_loss) << r.error().to_string();
    }
  }
  // Flips in the preamble and index must be caught; flips in unread data may parse.
  EXPECT_GT(errors, 0);
  EXPECT_GT(parsed, 0);
}

TEST(RpmDb, NotAnSqliteFileIsFailedPrecondition) {
  const fs::path dir = testing::temp_dir("notdb");
  std::ofstream(dir / "rpmdb.sqlite") << std::string(4096, 'x');
  auto r = RpmDb("Red Hat", dir / "rpmdb.sqlite").scan();
  expect_error(r, Errc::failed_precondition, "not an SQLite rpmdb");
  fs::remove_all(dir);
}

TEST(RpmDb, SqliteFileWithoutPackagesTableIsFailedPrecondition) {
  const fs::path dir = testing::temp_dir("nopkgs");
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "rpmdb.sqlite").c_str(), &raw), SQLITE_OK);
    SqliteDb db{raw};
    ASSERT_EQ(sqlite3_exec(db.get(), "CREATE TABLE Other (x)", nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  auto r = RpmDb("Red Hat", dir / "rpmdb.sqlite").scan();
  expect_error(r, Errc::failed_precondition, "no Packages table");
  fs::remove_all(dir);
}

TEST(RpmDb, MissingFileIsNotFound) {
  EXPECT_ERRC(RpmDb("Red Hat", "/nonexistent/patchparty/rpmdb.sqlite").scan(), Errc::not_found);
}

// Every real database in ../shared/data/rpmdb (its MANIFEST.md), through RpmDb::scan: the format
// chosen by content, and the same (name, epoch, version, release, arch, source rpm) set as rpm
// printed, gpg-pubkey left out.
TEST(RpmDb, EveryRealDatabaseMatchesRpmsList) {
  struct Case {
    std::string folder, file;
    std::size_t packages;  // without gpg-pubkey
  };
  for (const Case& c : std::vector<Case>{{"cbl-mariner-2.0", "rpmdb.sqlite", 129},
                                         {"amazonlinux2023-plain", "rpmdb.sqlite", 102},
                                         {"fedora36-tzdata-sqlite", "rpmdb.sqlite", 1},
                                         {"sle15-bci", "Packages.db", 35},
                                         {"sle15-bci-2023", "Packages.db", 36},
                                         {"libuuid-el8", "Packages", 1},
                                         {"ubi8-tzdata-bdb", "Packages", 1},
                                         {"centos-dive-bdb", "Packages", 1},
                                         {"fedora32-hello-epoch-bdb", "Packages_epoch", 1},
                                         {"rpm4-empty-bdb", "rpm4_empty", 0}}) {
    SCOPED_TRACE(c.folder);
    const fs::path file = testing::test_data("rpmdb/" + c.folder + "/" + c.file);
    auto packages = RpmDb("Red Hat", file).scan();
    ASSERT_OK(packages);
    const auto expected = rpmdb_fixtures::expected_lines(c.folder);
    EXPECT_EQ(rpmdb_fixtures::package_lines(*packages), expected);
    EXPECT_EQ(packages->size(), c.packages);
    for (const Package& p : *packages) EXPECT_EQ(p.location, file.string());
    std::cout << "rpmdb " << c.folder << ": " << packages->size() << " packages, "
              << (rpmdb_fixtures::package_lines(*packages) == expected ? "equal to"
                                                                       : "DIFFERENT from")
              << " expected-packages.tsv\n";
  }
}

TEST(RpmDb, EmptyBerkeleyDbHasNoPackages) {
  // rpm 4.18 prints "error: bdb_ro error reading Packages database" for this file and lists
  // nothing. It is what `rpmdb --initdb` leaves: an rpmdb with no packages, not an error.
  auto packages = RpmDb("Red Hat", testing::test_data("rpmdb/rpm4-empty-bdb/rpm4_empty")).scan();
  ASSERT_OK(packages);
  EXPECT_TRUE(packages->empty());
}

TEST(RpmDb, BtreeNamedPackagesIsFailedPrecondition) {
  const fs::path file = testing::test_data("rpmdb/bad-btree-bdb/Packages");
  auto r = RpmDb("Red Hat", file).scan();
  expect_error(r, Errc::failed_precondition,
               "rpmdb " + file.string() + ": a Berkeley DB Btree database, not an rpm Packages");
}

TEST(RpmDb, SqliteWithoutRpmsColumnsIsFailedPrecondition) {
  const fs::path file = testing::test_data("rpmdb/bad-schema-sqlite/rpmdb.sqlite");
  auto r = RpmDb("Red Hat", file).scan();
  expect_error(r, Errc::failed_precondition,
               "rpmdb " + file.string() + ": the Packages table has no hnum and blob columns");
}

TEST(RpmDb, CorruptBerkeleyDbIsDataLossNamingTheFile) {
  const fs::path dir = testing::temp_dir("cut");
  const std::string bytes = rpmdb_fixtures::slurp(testing::test_data("rpmdb/libuuid-el8/Packages"));
  std::ofstream(dir / "Packages", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  expect_error(RpmDb("Red Hat", dir / "Packages").scan(), Errc::data_loss,
               "rpmdb " + (dir / "Packages").string() + ": bdb: file of");
  fs::remove_all(dir);
}

TEST(RpmDb, ChoosesTheReaderByContentNotByName) {
  const fs::path dir = testing::temp_dir("named");
  fs::copy_file(testing::test_data("rpmdb/sle15-bci/Packages.db"), dir / "rpmdb.sqlite");
  fs::copy_file(testing::test_data("rpmdb/cbl-mariner-2.0/rpmdb.sqlite"), dir / "Packages");
  auto ndb = RpmDb("SUSE", dir / "rpmdb.sqlite").scan();
  ASSERT_OK(ndb);
  EXPECT_EQ(ndb->size(), 35u);
  auto sqlite = RpmDb("Red Hat", dir / "Packages").scan();
  ASSERT_OK(sqlite);
  EXPECT_EQ(sqlite->size(), 129u);
  fs::remove_all(dir);
}

TEST(RpmDb, BlobFormatsLargerThanTheLimitAreRefused) {
  const fs::path file = testing::test_data("rpmdb/sle15-bci/Packages.db");
  EXPECT_ERRC(RpmDb("SUSE", file, "/", 1 << 20).scan(), Errc::resource_exhausted);
  EXPECT_OK(RpmDb("SUSE", file, "/", 2 << 20).scan());
}

TEST(RpmDb, WithoutAPathTakesTheFirstKnownLocationPresent) {
  const fs::path root = testing::temp_dir("search");
  auto place = [&](std::string_view where, const std::string& from) {
    fs::create_directories((root / fs::path(where).relative_path()).parent_path());
    fs::copy_file(testing::test_data("rpmdb/" + from), root / fs::path(where).relative_path());
  };
  auto scanned = [&]() -> std::string {
    auto r = RpmDb("Red Hat", fs::path(), root).scan();
    if (!r) return r.error().to_string();
    if (r->empty()) return "empty";
    return r->front().location.substr(root.string().size()) + " " + std::to_string(r->size());
  };
  EXPECT_ERRC(RpmDb("Red Hat", fs::path(), root).scan(), Errc::not_found);
  EXPECT_THAT(scanned(),
              HasSubstr("looked for " + root.string() + "/usr/lib/sysimage/rpm/rpmdb.sqlite, " +
                        root.string() + "/var/lib/rpm/rpmdb.sqlite"));
  // Added from last to first: each newer one is preferred.
  place("/var/lib/rpm/Packages", "libuuid-el8/Packages");
  EXPECT_EQ(scanned(), "/var/lib/rpm/Packages 1");
  place("/var/lib/rpm/Packages.db", "sle15-bci/Packages.db");
  EXPECT_EQ(scanned(), "/var/lib/rpm/Packages.db 35");
  place("/usr/lib/sysimage/rpm/Packages.db", "sle15-bci-2023/Packages.db");
  EXPECT_EQ(scanned(), "/usr/lib/sysimage/rpm/Packages.db 36");
  place("/var/lib/rpm/rpmdb.sqlite", "amazonlinux2023-plain/rpmdb.sqlite");
  EXPECT_EQ(scanned(), "/var/lib/rpm/rpmdb.sqlite 102");
  place("/usr/lib/sysimage/rpm/rpmdb.sqlite", "cbl-mariner-2.0/rpmdb.sqlite");
  EXPECT_EQ(scanned(), "/usr/lib/sysimage/rpm/rpmdb.sqlite 129");
  // A configured path is read as given, as before.
  auto given = RpmDb("Red Hat", "/var/lib/rpm/Packages", root).scan();
  ASSERT_OK(given);
  EXPECT_EQ(given->size(), 1u);
  fs::remove_all(root);
}

TEST(RpmDb, PlanSearchesWhenNoDatabaseIsConfigured) {
  const fs::path root = testing::temp_dir("plan");
  config::InventoryConfig inv;
  inv.root = root;
  ASSERT_TRUE(inv.rpm.path.empty()) << "the default searches";
  const InventoryKind kind = rpm_inventory_kind();
  EXPECT_FALSE(kind.plan(inv, "Red Hat").has_value()) << "auto, nothing present";
  inv.rpm.enabled = config::Toggle::on;
  auto required = kind.plan(inv, "Red Hat");
  ASSERT_TRUE(required.has_value());
  EXPECT_ERRC(required->source->scan(), Errc::not_found);
  inv.rpm.enabled = config::Toggle::automatic;
  fs::create_directories(root / "var/lib/rpm");
  fs::copy_file(testing::test_data("rpmdb/libuuid-el8/Packages"), root / "var/lib/rpm/Packages");
  auto found = kind.plan(inv, "Red Hat");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->path, (root / "var/lib/rpm/Packages").string());
  auto packages = found->source->scan();
  ASSERT_OK(packages);
  EXPECT_EQ(packages->size(), 1u);
  inv.rpm.enabled = config::Toggle::off;
  EXPECT_FALSE(kind.plan(inv, "Red Hat").has_value());
  fs::remove_all(root);
}

// Builds header blobs by hand, in the layout rpm exports.
struct HeaderBuilder {
  struct Item {
    std::uint32_t tag, type, offset, count;
  };
  std::vector<Item> index;
  std::string data;

  HeaderBuilder& string(std::uint32_t tag, std::string_view s) {
    index.push_back({tag, 6, static_cast<std::uint32_t>(data.size()), 1});
    data.append(s);
    data.push_back('\0');
    return *this;
  }
  HeaderBuilder& int32(std::uint32_t tag, std::uint32_t v) {
    while (data.size() % 4) data.push_back('\0');
    index.push_back({tag, 4, static_cast<std::uint32_t>(data.size()), 1});
    put(data, v);
    return *this;
  }
  static void put(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
  }
  std::string blob() const {
    std::string out;
    put(out, static_cast<std::uint32_t>(index.size()));
    put(out, static_cast<std::uint32_t>(data.size()));
    for (const Item& i : index) {
      put(out, i.tag);
      put(out, i.type);
      put(out, i.offset);
      put(out, i.count);
    }
    return out + data;
  }
};

HeaderBuilder minimal() {
  HeaderBuilder b;
  b.string(1000, "openssl-libs").string(1001, "3.0.7").string(1002, "27.el9");
  return b;
}

TEST(ParseRpmHeader, ReadsTheInventoryTags) {
  auto b = minimal();
  b.string(1022, "x86_64").string(1044, "openssl-3.0.7-27.el9.src.rpm").int32(1003, 1);
  auto h = parse_rpm_header(b.blob());
  ASSERT_OK(h);
  EXPECT_EQ(h->name, "openssl-libs");
  EXPECT_EQ(h->epoch, 1u);
  EXPECT_EQ(rpm_evr(*h), "1:3.0.7-27.el9");
  const Package p = rpm_package(*h, "Red Hat");
  EXPECT_EQ(p.source_name, "openssl");
  EXPECT_EQ(p.source_version, "1:3.0.7-27.el9");
  EXPECT_EQ(p.arch, "x86_64");
}

TEST(ParseRpmHeader, AModuleBuildNamesItsStream) {
  auto b = minimal();
  b.string(5096, "perl:5.32:8100020240314082337:9fe1d287");
  auto h = parse_rpm_header(b.blob());
  ASSERT_OK(h);
  EXPECT_EQ(h->modularity_label, "perl:5.32:8100020240314082337:9fe1d287");
  EXPECT_EQ(rpm_package(*h, "AlmaLinux:8").module_stream, "perl:5.32");
  // No module build: no stream. A label that is no module:stream:… token names none.
  auto plain = parse_rpm_header(minimal().blob());
  ASSERT_OK(plain);
  EXPECT_EQ(rpm_package(*plain, "AlmaLinux:8").module_stream, "");
  for (const char* label : {"perl 5.32", "perl", ""}) {
    auto odd = minimal();
    odd.string(5096, label);
    auto parsed = parse_rpm_header(odd.blob());
    ASSERT_OK(parsed);
    EXPECT_EQ(rpm_package(*parsed, "AlmaLinux:8").module_stream, "") << label;
  }
}

TEST(ParseRpmHeader, RejectsInconsistentBlobs) {
  const std::string good = minimal().blob();
  ASSERT_OK(parse_rpm_header(good));

  auto with_entry = [&](std::size_t entry, std::size_t field, std::uint32_t value) {
    std::string b = good;
    std::string v;
    HeaderBuilder::put(v, value);
    b.replace(8 + entry * 16 + field * 4, 4, v);
    return b;
  };
  const std::uint32_t data_size = static_cast<std::uint32_t>(minimal().data.size());
  struct Case {
    const char* what;
    std::string blob;
    const char* message;
  };
  std::string no_nul = good;
  no_nul.back() = 'x';  // the last string, RELEASE, loses its terminator
  const Case cases[] = {
      {"offset at the end", with_entry(0, 2, data_size), "run past the data store"},
      {"offset past the end", with_entry(0, 2, data_size + 1), "beyond the data store"},
      {"offset 2^32-1", with_entry(1, 2, 0xffffffff), "beyond the data store"},
      {"unknown type", with_entry(0, 1, 10), "unknown type 10"},
      {"string with count 2", with_entry(0, 3, 2), "string with count 2"},
      {"int64 past the end", with_entry(2, 1, 5), "8 bytes at offset 19 run past"},
      {"string count 2^32-1", with_entry(0, 3, 0xffffffff), "string with count"},
      {"NAME as int8", with_entry(0, 1, 2), "expected a string"},
      {"no NUL", no_nul, "without a terminating NUL"},
      {"zero index count", std::string("\0\0\0\0\0\0\0\0", 8), "implausible index count 0"},
      {"huge index count", std::string("\0\x01\0\0\0\0\0\0", 8), "implausible index count"},
      {"huge data size", std::string("\0\0\0\x01\x10\0\0\0", 8), "implausible data size"},
      {"short", std::string("\0\0\0", 3), "shorter than the 8-byte preamble"},
      {"size mismatch", good.substr(0, good.size() - 1), "preamble says"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    auto r = parse_rpm_header(c.blob);
    expect_error(r, Errc::data_loss, c.message);
  }
  // Count 2^32-1 of int64 is 32 GiB: computed in 64 bits, it cannot wrap into range.
  std::string b = with_entry(0, 1, 5);
  b = [&] {
    std::string v;
    HeaderBuilder::put(v, 0xffffffff);
    b.replace(8 + 12, 4, v);
    return b;
  }();
  EXPECT_ERRC(parse_rpm_header(b), Errc::data_loss);
}

TEST(ParseRpmHeader, RequiresNameVersionRelease) {
  HeaderBuilder no_release;
  no_release.string(1000, "bash").string(1001, "5.1.8");
  auto r = parse_rpm_header(no_release.blob());
  expect_error(r, Errc::data_loss, "bash: no RELEASE");

  HeaderBuilder no_name;
  no_name.string(1001, "5.1.8").string(1002, "6.el9");
  EXPECT_ERRC(parse_rpm_header(no_name.blob()), Errc::data_loss);

  HeaderBuilder spaced;
  spaced.string(1000, "bash shell").string(1001, "5.1.8").string(1002, "6.el9");
  expect_error(parse_rpm_header(spaced.blob()), Errc::data_loss, "NAME is not printable ASCII");
  HeaderBuilder dashed;
  dashed.string(1000, "bash").string(1001, "5.1-8").string(1002, "6.el9");
  expect_error(parse_rpm_header(dashed.blob()), Errc::data_loss, "implausible VERSION or RELEASE");
  HeaderBuilder empty_release;
  empty_release.string(1000, "bash").string(1001, "5.1.8").string(1002, "");
  expect_error(parse_rpm_header(empty_release.blob()), Errc::data_loss, "implausible VERSION");
  HeaderBuilder control_arch = minimal();
  control_arch.string(1022, "x86_64\n");
  expect_error(parse_rpm_header(control_arch.blob()), Errc::data_loss, "ARCH is not printable");

  HeaderBuilder bad_epoch = minimal();
  bad_epoch.string(1003, "1");
  r = parse_rpm_header(bad_epoch.blob());
  expect_error(r, Errc::data_loss, "expected one int32");
}

TEST(ParseRpmHeader, ParsesSourceRpmNames) {
  auto s = parse_source_rpm("python-urllib3-1.26.5-3.el9.src.rpm");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->name, "python-urllib3");
  EXPECT_EQ(s->version, "1.26.5-3.el9");
  s = parse_source_rpm("kernel-5.14.0-362.8.1.el9_3.nosrc.rpm");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->name, "kernel");
  for (const char* bad : {"", "(none)", "bash.src.rpm", "bash-5.1.src.rpm", "-1-2.src.rpm",
                          "bash--2.src.rpm", "bash-5.1-.src.rpm", "bash-5.1-2.rpm"})
    EXPECT_FALSE(parse_source_rpm(bad).has_value()) << bad;

  // Without a usable SOURCERPM the source fields repeat the binary's.
  auto h = parse_rpm_header(minimal().blob());
  ASSERT_OK(h);
  const Package p = rpm_package(*h, "Red Hat");
  EXPECT_EQ(p.version, "3.0.7-27.el9");
  EXPECT_EQ(p.source_name, "openssl-libs");
  EXPECT_EQ(p.source_version, "3.0.7-27.el9");
  EXPECT_EQ(p.arch, "");
}

}  // namespace
}  // namespace patchparty::inventory
