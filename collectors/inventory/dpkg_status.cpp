#include "collectors/inventory/dpkg_status.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <system_error>
#include <tuple>
#include <utility>

#include "collectors/inventory/apt_lists.h"
#include "collectors/inventory/deb822.h"
#include "core/base/error_context.h"
#include "core/base/log.h"

namespace patchparty::inventory {

namespace {

// A status.d or journal with more entries than any real system: a hostile or broken root.
constexpr std::size_t kMaxDirEntries = 1u << 16;

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// dpkg's own rule (pkg_name_is_illegal); names later reach labels and command lines.
bool valid_package_name(std::string_view s) {
  if (s.empty() || !is_alnum(s.front())) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return is_alnum(c) || std::string_view("-+._").find(c) != std::string_view::npos;
  });
}

// The character set dpkg accepts in a version; ordering is left to core/versions.
bool valid_version(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return is_alnum(c) || std::string_view(".+-~:").find(c) != std::string_view::npos;
  });
}

bool valid_arch(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || c == '-'; });
}

// deb822 field names: printable US-ASCII other than space and colon, not starting with '#'/'-'.
bool valid_field_name(std::string_view s) {
  if (s.empty() || s.front() == '#' || s.front() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f && c != ':'; });
}

std::string at_line(std::size_t line, std::string_view what) {
  return "line " + std::to_string(line) + ": " + std::string(what);
}

// States in which the files of the stanza's Version are on disk. Besides "installed" this
// keeps the trigger states (configured, waiting only for another package's trigger) and
// unpacked/half-configured (new files in place, configuration pending): leaving those out
// would hide vulnerable code that can run. half-installed (an unpack or removal broke off
// midway) and config-files (only conffiles left) are not counted.
enum class State { installed, not_installed };

Result<State> parse_state(std::string_view status, std::size_t line) {
  std::string_view words[3];
  std::size_t n = 0;
  std::size_t pos = 0;
  while (pos < status.size()) {
    auto b = status.find_first_not_of(" \t", pos);
    if (b == std::string_view::npos) break;
    auto e = status.find_first_of(" \t", b);
    if (e == std::string_view::npos) e = status.size();
    if (n == 3) return fail(Errc::data_loss, at_line(line, "Status has more than three words"));
    words[n++] = status.substr(b, e - b);
    pos = e;
  }
  if (n != 3) {
    return fail(Errc::data_loss,
                at_line(line, "Status '" + std::string(status) + "' is not 'want flag state'"));
  }
  auto state = words[2];
  if (state == "installed" || state == "triggers-awaited" || state == "triggers-pending" ||
      state == "half-configured" || state == "unpacked")
    return State::installed;
  if (state == "not-installed" || state == "config-files" || state == "half-installed")
    return State::not_installed;
  return fail(Errc::data_loss, at_line(line, "unknown package state '" + std::string(state) + "'"));
}

struct Field {
  std::string_view value;
  std::size_t line = 0;  // 0: absent
  bool present() const { return line != 0; }
};

struct Stanza {
  std::size_t first_line = 0;
  Field package, version, architecture, source, status;

  void reset(std::size_t line) { *this = Stanza{line, {}, {}, {}, {}, {}}; }
};

// Points at the Field to fill for the fields we read; nullptr for all others.
Field* field_slot(Stanza& s, std::string_view name) {
  switch (name.size()) {
    case 6:
      if (deb822_name_equals(name, "Source")) return &s.source;
      if (deb822_name_equals(name, "Status")) return &s.status;
      return nullptr;
    case 7:
      if (deb822_name_equals(name, "Package")) return &s.package;
      if (deb822_name_equals(name, "Version")) return &s.version;
      return nullptr;
    case 12:
      return deb822_name_equals(name, "Architecture") ? &s.architecture : nullptr;
    default:
      return nullptr;
  }
}

// One stanza, installed or not: the journal needs both to replace a status entry.
struct Entry {
  Package package;
  bool installed = false;
};

Result<void> finish_stanza(const Stanza& s, std::string_view ecosystem, DpkgStatusKind kind,
                           std::vector<Entry>& out) {
  if (!s.package.present())
    return fail(Errc::data_loss, at_line(s.first_line, "stanza without Package"));
  auto name = s.package.value;
  if (!valid_package_name(name)) {
    return fail(Errc::data_loss,
                at_line(s.package.line, "invalid package name '" + std::string(name) + "'"));
  }
  State state = State::installed;
  if (s.status.present()) {
    PP_TRY(parsed, parse_state(s.status.value, s.status.line));
    state = parsed;
  } else if (kind != DpkgStatusKind::status_d) {
    return fail(Errc::data_loss,
                at_line(s.first_line, "package '" + std::string(name) + "' has no Status"));
  }
  auto arch = s.architecture.value;
  if (!valid_arch(arch)) {
    return fail(Errc::data_loss,
                at_line(s.architecture.line, "invalid architecture '" + std::string(arch) + "'"));
  }
  if (state != State::installed) {
    Entry gone;
    gone.package.name = std::string(name);
    gone.package.arch = std::string(arch);
    out.push_back(std::move(gone));
    return {};
  }

  if (!s.version.present()) {
    return fail(Errc::data_loss, at_line(s.first_line, "installed package '" + std::string(name) +
                                                           "' has no Version"));
  }
  auto version = s.version.value;
  if (!valid_version(version)) {
    return fail(Errc::data_loss,
                at_line(s.version.line, "invalid version '" + std::string(version) + "'"));
  }

  std::string_view source_name = name;
  std::string_view source_version = version;
  if (s.source.present()) {
    // "Source: glibc (2.36-9)": the version is there only when it differs from Version.
    auto v = s.source.value;
    auto space = v.find_first_of(" \t");
    source_name = v.substr(0, space);
    if (space != std::string_view::npos) {
      auto rest = deb822_trim(v.substr(space));
      if (rest.size() < 2 || rest.front() != '(' || rest.back() != ')') {
        return fail(Errc::data_loss, at_line(s.source.line, "Source '" + std::string(v) +
                                                                "' is not 'name (version)'"));
      }
      source_version = deb822_trim(rest.substr(1, rest.size() - 2));
      if (!valid_version(source_version)) {
        return fail(Errc::data_loss, at_line(s.source.line, "invalid source version '" +
                                                                std::string(source_version) + "'"));
      }
    }
    if (!valid_package_name(source_name)) {
      return fail(Errc::data_loss, at_line(s.source.line, "invalid source package name '" +
                                                              std::string(source_name) + "'"));
    }
  }

  Package p;
  p.ecosystem = std::string(ecosystem);
  p.name = std::string(name);
  p.version = std::string(version);
  p.source_name = std::string(source_name);
  p.source_version = std::string(source_version);
  p.arch = std::string(arch);
  p.origin = "dpkg";
  out.push_back(Entry{std::move(p), true});
  return {};
}

Result<std::vector<Entry>> parse_entries(std::string_view text, std::string_view ecosystem,
                                         DpkgStatusKind kind) {
  std::vector<Entry> out;
  if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
    auto offset = static_cast<std::size_t>(static_cast<const char*>(nul) - text.data());
    auto line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
    return fail(Errc::data_loss, at_line(line, "NUL byte in a text file"));
  }

  Stanza stanza;
  bool in_stanza = false;
  // What a continuation line would extend: nothing, a field we skip, or one we read (all of
  // which are single-line in dpkg, so a continuation there is corruption).
  enum class Open { none, skipped, read } open = Open::none;
  const Field* open_field = nullptr;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    ++line_no;
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      // dpkg ends every line with a newline, so a missing one means the file was cut.
      return fail(Errc::data_loss, at_line(line_no, "no newline at end of file (truncated?)"));
    }
    auto line = text.substr(pos, nl - pos);
    pos = nl + 1;

    if (is_blank(line)) {
      if (in_stanza) {
        PP_CHECK(finish_stanza(stanza, ecosystem, kind, out));
        in_stanza = false;
      }
      open = Open::none;
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      if (open == Open::none)
        return fail(Errc::data_loss, at_line(line_no, "continuation line outside a field"));
      if (open == Open::read) {
        return fail(Errc::data_loss, at_line(line_no, "continuation of a single-line field (line " +
                                                          std::to_string(open_field->line) + ")"));
      }
      continue;
    }
    if (!in_stanza) {
      stanza.reset(line_no);
      in_stanza = true;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos || !valid_field_name(line.substr(0, colon)))
      return fail(Errc::data_loss, at_line(line_no, "expected 'Field: value'"));
    Field* slot = field_slot(stanza, line.substr(0, colon));
    if (slot != nullptr) {
      if (slot->present()) {
        return fail(Errc::data_loss,
                    at_line(line_no, "duplicate field '" + std::string(line.substr(0, colon)) +
                                         "' (first on line " + std::to_string(slot->line) + ")"));
      }
      slot->value = deb822_trim(line.substr(colon + 1));
      slot->line = line_no;
      open = Open::read;
      open_field = slot;
    } else {
      open = Open::skipped;
    }
  }
  if (in_stanza) {
    if (kind == DpkgStatusKind::status) {
      // dpkg follows every stanza with a blank line; without it the cut may have dropped
      // fields (Status, Version) or whole stanzas, and we cannot tell which.
      return fail(
          Errc::data_loss,
          at_line(line_no, "file ends inside the stanza that starts on line " +
                               std::to_string(stanza.first_line) +
                               ", without the blank line dpkg writes after it (truncated?)"));
    }
    PP_CHECK(finish_stanza(stanza, ecosystem, kind, out));
  }
  return out;
}

// The journal's file names: dpkg numbers them ("0000", "0001") and ignores everything else,
// such as the "tmp.i" it writes before renaming.
bool is_journal_name(std::string_view name) {
  return !name.empty() &&
         std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_status_d_name(std::string_view name) {
  // Distroless keeps "<package>.md5sums" beside each "<package>" stanza file.
  return !name.starts_with('.') && !name.ends_with(".md5sums");
}

// Regular files of `dir` whose names pass `keep`, sorted by name; an absent directory is an
// empty list with `exists` false.
Result<std::vector<std::filesystem::path>> list_dir(const std::filesystem::path& dir,
                                                    bool (*keep)(std::string_view), bool& exists) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  exists = !ec;
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return files;
    return tl::make_unexpected(errno_error(ec.value(), dir.string()));
  }
  std::size_t entries = 0;
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (++entries > kMaxDirEntries) {
      return fail(Errc::resource_exhausted,
                  dir.string() + ": more than " + std::to_string(kMaxDirEntries) + " entries");
    }
    std::error_code type_ec;
    if (!keep(it->path().filename().string()) || !it->is_regular_file(type_ec)) continue;
    files.push_back(it->path());
  }
  if (ec) return tl::make_unexpected(errno_error(ec.value(), dir.string()));
  // dpkg zero-pads journal names, so name order is its (alphasort) order.
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Result<std::vector<Package>> parse_dpkg_status(std::string_view text, std::string_view ecosystem,
                                               DpkgStatusKind kind) {
  PP_TRY(entries, parse_entries(text, ecosystem, kind));
  std::vector<Package> out;
  out.reserve(entries.size());
  for (auto& e : entries)
    if (e.installed) out.push_back(std::move(e.package));
  return out;
}

DpkgStatus::DpkgStatus(std::string ecosystem, DpkgStatusOptions options)
    : ecosystem_(std::move(ecosystem)), options_(std::move(options)) {}

Result<std::vector<Package>> DpkgStatus::scan() {
  std::size_t budget = options_.max_bytes;
  auto read = [&](const std::filesystem::path& file,
                  DpkgStatusKind kind) -> Result<std::vector<Entry>> {
    auto text = read_bounded_file(file, budget);
    if (!text) {
      if (text.error().code != Errc::resource_exhausted)
        return tl::make_unexpected(std::move(text).error());
      return fail(Errc::resource_exhausted, file.string() +
                                                ": the dpkg database files together exceed " +
                                                std::to_string(options_.max_bytes) + " bytes");
    }
    budget -= text->size();
    PP_TRY(entries, with_context(parse_entries(*text, ecosystem_, kind), file.string()));
    for (auto& e : entries) e.package.location = file.string();
    return entries;
  };

  // status with the journal applied over it, as dpkg-query reads them: while dpkg runs, and
  // after it was interrupted, updates/ holds the newest record of each package it touched.
  std::vector<Entry> db;
  bool found = false;
  auto status_file = under_root(options_.root, options_.status_file);
  if (auto status = read(status_file, DpkgStatusKind::status); status) {
    found = true;
    db = std::move(*status);
    bool journal_exists = false;
    PP_TRY(journal, list_dir(under_root(options_.root, options_.updates_dir), is_journal_name,
                             journal_exists));
    std::map<std::pair<std::string, std::string>, std::size_t> index;
    if (!journal.empty()) {
      for (std::size_t i = 0; i < db.size(); ++i)
        index.emplace(std::pair(db[i].package.name, db[i].package.arch), i);
    }
    for (const auto& file : journal) {
      PP_TRY(updates, read(file, DpkgStatusKind::update));
      for (auto& e : updates) {
        auto [it, inserted] = index.emplace(std::pair(e.package.name, e.package.arch), db.size());
        if (inserted) {
          db.push_back(std::move(e));
        } else {
          db[it->second] = std::move(e);
        }
      }
    }
  } else if (status.error().code != Errc::not_found) {
    return tl::make_unexpected(std::move(status).error());
  }

  bool status_d_exists = false;
  auto status_dir = under_root(options_.root, options_.status_dir);
  PP_TRY(status_d, list_dir(status_dir, is_status_d_name, status_d_exists));
  found = found || status_d_exists;
  for (const auto& file : status_d) {
    PP_TRY(entries, read(file, DpkgStatusKind::status_d));
    for (auto& e : entries) db.push_back(std::move(e));
  }

  if (!found) {
    return fail(Errc::not_found,
                "neither " + status_file.string() + " nor " + status_dir.string() + " exists");
  }
  std::vector<Package> out;
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (auto& e : db) {
    if (!e.installed) continue;
    if (!seen.emplace(e.package.name, e.package.arch, e.package.version).second) continue;
    out.push_back(std::move(e.package));
  }
  if (!options_.apt_lists.empty()) mark_suppliers(out);
  return out;
}

void DpkgStatus::mark_suppliers(std::vector<Package>& packages) const {
  AptListsOptions o;
  o.dir = under_root(options_.root, options_.apt_lists);
  o.distribution_origins = options_.distribution_origins.empty()
                               ? default_distribution_origins(ecosystem_)
                               : options_.distribution_origins;
  auto marked = mark_package_suppliers(packages, o);
  if (!marked) {
    log::warning("dpkg: cannot tell packages' suppliers from apt's lists: " +
                 marked.error().message);
    return;
  }
  for (const std::string& w : marked->warnings) log::warning("dpkg: apt lists: " + w);
  if (marked->third_party > 0) {
    log::info("dpkg: " + std::to_string(marked->third_party) +
              " installed packages come from outside the distribution (apt lists in " +
              o.dir.string() + ")");
  }
}

InventoryKind dpkg_inventory_kind() {
  InventoryKind k;
  k.name = "dpkg";
  k.plan = [](const config::InventoryConfig& inv,
              const std::string& ecosystem) -> std::optional<PlannedSource> {
    // Distroless images have no status file, only one stanza file per package in status.d.
    auto file = under_root(inv.root, inv.dpkg.path);
    if (!wanted(inv.dpkg.enabled, file) &&
        !wanted(inv.dpkg.enabled, under_root(inv.root, inv.dpkg_status_dir)))
      return std::nullopt;
    DpkgStatusOptions o;
    o.root = inv.root;
    o.status_file = inv.dpkg.path;
    o.status_dir = inv.dpkg_status_dir;
    o.max_bytes = static_cast<std::size_t>(inv.max_file_bytes);
    o.apt_lists = inv.dpkg_apt_lists;
    o.distribution_origins = inv.dpkg_distribution_origins;
    return PlannedSource{"dpkg", "", file.string(), std::make_unique<DpkgStatus>(ecosystem, o),
                         std::nullopt};
  };
  return k;
}

}  // namespace patchparty::inventory
