#include "daemon/cli/scan_sources.h"

#include <algorithm>

#include "collectors/inventory/apk_installed.h"
#include "collectors/inventory/dpkg_status.h"
#include "collectors/inventory/host_ecosystem.h"
#include "collectors/inventory/inventory_kind.h"
#include "collectors/inventory/rpm_db.h"
#include "config/kinds.h"

namespace patchparty::cli {

namespace fs = std::filesystem;

namespace {

Result<std::pair<std::string, std::string>> split_kind(std::string_view arg,
                                                       std::string_view what) {
  auto eq = arg.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == arg.size())
    return fail(Errc::invalid_argument,
                std::string(what) + " '" + std::string(arg) + "': expected KIND=PATH");
  return std::pair{std::string(arg.substr(0, eq)), std::string(arg.substr(eq + 1))};
}

// Project labels end up in metrics and file names: keep the directory name's safe characters.
std::string project_label(const fs::path& dir) {
  std::string name = dir.filename().string();
  std::string out;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    out.push_back(ok ? c : '_');
  }
  if (out.empty() || out == "." || out == "..") out = "scan";
  return out.substr(0, 128);
}

// The root's own ecosystem, never this machine's in its place: a directory without os-release
// is an error asking for --ecosystem. A lone database file has no root; this machine's
// os-release names it unless --ecosystem does.
Result<std::string> host_ecosystem(const fs::path& root, std::string_view given,
                                   std::string_view example) {
  config::InventoryConfig inv;
  inv.root = root;
  inv.ecosystem = std::string(given);
  auto host = inventory::host_ecosystem(inv);
  if (!host)
    return fail(host.error().code, host.error().message +
                                       "; name the ecosystem with --ecosystem, e.g. '" +
                                       std::string(example) + "'");
  return std::move(host->ecosystem);
}

}  // namespace

Result<InventoryArg> parse_inventory_arg(std::string_view arg, std::string_view ecosystem,
                                         std::size_t max_file_bytes) {
  PP_TRY(kv, split_kind(arg, "--inventory"));
  auto [kind, path_text] = std::move(kv);
  InventoryArg out;
  out.kind = kind;
  out.path = fs::absolute(path_text).lexically_normal();
  std::error_code ec;
  const bool is_dir = fs::is_directory(out.path, ec);
  if (!fs::exists(out.path, ec))
    return fail(Errc::not_found,
                "--inventory " + kind + ": " + out.path.string() + " does not exist");

  if (const auto* lockfile = inventory::inventory_kinds().find(kind);
      lockfile && lockfile->open_lockfile) {
    // A directory: the first of the kind's file names found in it, else the first.
    fs::path file = out.path;
    if (is_dir) {
      const auto& names = lockfile->lockfile_names;
      // Go binaries and SBOMs have no usual file name: they are named.
      if (names.empty())
        return fail(Errc::invalid_argument, "--inventory " + kind + ": " + out.path.string() +
                                                " is a directory; name the file");
      auto found = std::find_if(names.begin(), names.end(),
                                [&](const std::string& n) { return fs::exists(out.path / n, ec); });
      file = out.path / (found == names.end() ? names.front() : *found);
    }
    out.project = project_label(file.parent_path());
    out.source = lockfile->open_lockfile(file, out.project, max_file_bytes);
    return out;
  }
  if (const auto* installed = inventory::inventory_kinds().find(kind);
      installed && installed->open_directories) {
    // Installed application packages: the directory given is where they are installed
    // (a site-packages, a global node_modules).
    if (!is_dir)
      return fail(Errc::invalid_argument,
                  "--inventory " + kind + ": " + out.path.string() + " is not a directory");
    out.source = installed->open_directories({out.path}, max_file_bytes);
    return out;
  }
  if (kind == "dpkg") {
    inventory::DpkgStatusOptions o;
    o.max_bytes = max_file_bytes;
    if (is_dir) {
      o.root = out.path;
    } else {
      // A lone status file: no journal or status.d beside it to apply.
      o.root = "/";
      o.status_file = out.path;
      o.status_dir = out.path.parent_path() / ".patchparty-none";
      o.updates_dir = o.status_dir;
      // This machine's apt lists say nothing about another machine's status file.
      o.apt_lists.clear();
    }
    PP_TRY(eco, host_ecosystem(is_dir ? out.path : fs::path("/"), ecosystem, "Debian:12"));
    out.source = std::make_unique<inventory::DpkgStatus>(eco, o);
    return out;
  }
  if (kind == "apk") {
    inventory::ApkInstalledOptions o;
    if (is_dir) {
      o.root = out.path;
    } else {
      o.root = "/";
      o.installed_file = out.path;
    }
    PP_TRY(eco, host_ecosystem(is_dir ? out.path : fs::path("/"), ecosystem, "Alpine:v3.19"));
    out.source = std::make_unique<inventory::ApkInstalled>(eco, o);
    return out;
  }
  if (kind == "rpm") {
    PP_TRY(eco, host_ecosystem(is_dir ? out.path : fs::path("/"), ecosystem, "AlmaLinux:9"));
    if (is_dir) {
      // The database in whichever of rpm's locations and formats the root holds.
      out.source = std::make_unique<inventory::RpmDb>(eco, fs::path(), out.path);
    } else {
      out.source = std::make_unique<inventory::RpmDb>(eco, out.path, "/");
    }
    return out;
  }
  return fail(Errc::invalid_argument, "--inventory '" + kind + "': unknown kind (" +
                                          inventory::inventory_kinds().joined_names() + ")");
}

Result<config::FeedConfig> parse_feed_arg(std::string_view arg, std::size_t index) {
  PP_TRY(kv, split_kind(arg, "--feed"));
  auto [kind, where] = std::move(kv);
  if (!config::feed_kinds().find(kind))
    return fail(Errc::invalid_argument, "--feed '" + kind + "': unknown kind (" +
                                            config::feed_kinds().joined_names() + ")");
  config::FeedConfig f;
  f.kind = kind;
  f.name = kind + "-" + std::to_string(index + 1);
  if (where.starts_with("http://") || where.starts_with("https://") ||
      where.starts_with("file://")) {
    f.url = where;
  } else {
    fs::path p = fs::absolute(where).lexically_normal();
    std::error_code ec;
    if (!fs::exists(p, ec))
      return fail(Errc::not_found, "--feed " + kind + ": " + p.string() + " does not exist");
    f.url = "file://" + p.string();
  }
  return f;
}

}  // namespace patchparty::cli
