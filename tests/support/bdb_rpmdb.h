// Berkeley DB rpmdbs as large as real hosts', made by Berkeley DB itself (Debian's db5.3-util)
// from the header blobs of a real SQLite rpmdb: the real BDB files in the shared data hold one
// package each, too few for overflow chains across many pages and buckets.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/base/c_handles.h"
#include "core/base/result.h"

namespace patchparty::testing {

struct HeaderBlob {
  std::uint32_t hnum;
  std::string blob;
};

// Every row of an SQLite rpmdb's Packages table, read straight through SQLite.
[[nodiscard]] inline Result<std::vector<HeaderBlob>> sqlite_header_blobs(
    const std::filesystem::path& sqlite_file) {
  sqlite3* raw = nullptr;
  const std::string uri = "file:" + sqlite_file.string() + "?mode=ro&immutable=1";
  const int rc =
      sqlite3_open_v2(uri.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
  SqliteDb db{raw};
  if (rc != SQLITE_OK) return fail(Errc::internal, "open " + sqlite_file.string());
  sqlite3_stmt* raw_stmt = nullptr;
  sqlite3_prepare_v2(db.get(), "SELECT hnum, blob FROM Packages ORDER BY hnum", -1, &raw_stmt,
                     nullptr);
  SqliteStmt stmt{raw_stmt};
  if (!stmt) return fail(Errc::internal, "query " + sqlite_file.string());
  std::vector<HeaderBlob> out;
  while (sqlite3_step(stmt.get()) == SQLITE_ROW)
    out.push_back({static_cast<std::uint32_t>(sqlite3_column_int64(stmt.get(), 0)),
                   std::string(static_cast<const char*>(sqlite3_column_blob(stmt.get(), 1)),
                               static_cast<std::size_t>(sqlite3_column_bytes(stmt.get(), 1)))});
  return out;
}

// Writes `blobs` as rpm's Packages hash database at `packages_file` with `db5.3_load -t hash`,
// from db_dump's "bytevalue" text format: keys as rpm writes them, 4-byte header numbers in
// the host's byte order. `config`: db_load -c settings, such as "h_ffactor=1" for a bucket a key.
[[nodiscard]] inline Result<> write_bdb_packages(const std::vector<HeaderBlob>& blobs,
                                                 const std::filesystem::path& packages_file,
                                                 const std::string& config = "") {
  static constexpr char kHex[] = "0123456789abcdef";
  auto hex = [](const char* bytes, std::size_t n) {
    std::string out(" ");
    out.reserve(2 * n + 2);
    for (std::size_t i = 0; i < n; ++i) {
      const auto b = static_cast<unsigned char>(bytes[i]);
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
    }
    out += '\n';
    return out;
  };
  const std::filesystem::path dump = packages_file.string() + ".dump";
  {
    std::ofstream out(dump, std::ios::binary);
    out << "VERSION=3\nformat=bytevalue\ntype=hash\nHEADER=END\n";
    for (const HeaderBlob& b : blobs) {
      out << hex(reinterpret_cast<const char*>(&b.hnum), sizeof b.hnum);
      out << hex(b.blob.data(), b.blob.size());
    }
    out << "DATA=END\n";
    if (!out) return fail(Errc::internal, "write " + dump.string());
  }
  std::filesystem::remove(packages_file);
  const std::string command = "db5.3_load -t hash " +
                              (config.empty() ? std::string() : "-c " + config + " ") + "-f '" +
                              dump.string() + "' '" + packages_file.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  std::filesystem::remove(dump);
  if (status != 0)
    return fail(Errc::internal, command + " failed with status " + std::to_string(status) +
                                    " (Debian package db5.3-util)");
  return {};
}

}  // namespace patchparty::testing
