#include "collectors/inventory/apt_lists.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "collectors/inventory/deb822.h"
#include "core/base/bounded_file.h"
#include "core/base/c_handles.h"
#include "core/versions/version_scheme.h"

namespace patchparty::inventory {

namespace {

using ArchivePtr = std::unique_ptr<archive, CFree<archive_read_free>>;

// A Release file is a few hundred KiB; anything far larger is not one.
constexpr std::size_t kMaxReleaseBytes = 16u << 20;
// A lists directory with more entries than any real host: a hostile or broken root.
constexpr std::size_t kMaxListFiles = 1u << 14;

// Release files may come with CRLF line ends.
std::string_view trim(std::string_view s) {
  return deb822_trim(s, " \t\r");
}

// "Key: value" -> value when the line's field is `key` (deb822 names are case-insensitive).
bool field_value(std::string_view line, std::string_view key, std::string_view& value) {
  if (line.size() <= key.size() || line[key.size()] != ':') return false;
  if (!deb822_name_equals(line.substr(0, key.size()), key)) return false;
  value = trim(line.substr(key.size() + 1));
  return true;
}

struct ListSuffix {
  std::string_view suffix;
  int filter;  // the libarchive filter its content must be in
};

constexpr std::array<ListSuffix, 7> kListSuffixes = {{
    {"_Packages", ARCHIVE_FILTER_NONE},
    {"_Packages.gz", ARCHIVE_FILTER_GZIP},
    {"_Packages.xz", ARCHIVE_FILTER_XZ},
    {"_Packages.lz4", ARCHIVE_FILTER_LZ4},
    {"_Packages.zst", ARCHIVE_FILTER_ZSTD},
    {"_Packages.bz2", ARCHIVE_FILTER_BZIP2},
    {"_Packages.lzma", ARCHIVE_FILTER_LZMA},
}};

// "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4" -> the part before
// "_Packages" and the compression its name promises, when the name is a binary Packages list in
// any compression apt keeps.
bool packages_list_stem(std::string_view name, std::string_view& stem, int& filter) {
  for (const ListSuffix& s : kListSuffixes) {
    if (name.size() > s.suffix.size() && name.ends_with(s.suffix)) {
      stem = name.substr(0, name.size() - s.suffix.size());
      filter = s.filter;
      return true;
    }
  }
  return false;
}

// apt names a list after its URI with '/' turned into '_' (and '_' itself escaped as %5f), so the
// Release of "X_dists_S_C_binary-A" is "X_dists_S_InRelease": drop '_' parts until one exists.
// A flat repository ("deb URI ./") keeps its Release right beside its Packages.
std::filesystem::path release_of(const std::filesystem::path& dir, std::string_view stem) {
  std::string_view prefix = stem;
  while (!prefix.empty()) {
    for (std::string_view name : {"_InRelease", "_Release"}) {
      std::filesystem::path candidate = dir / (std::string(prefix) + std::string(name));
      std::error_code ec;
      if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
    }
    auto cut = prefix.rfind('_');
    if (cut == std::string_view::npos) break;
    prefix = prefix.substr(0, cut);
  }
  return {};
}

struct Hit {
  std::string version;
  std::size_t repository;
};

// What the lists say about one installed package.
struct Wanted {
  Package* package;
  std::vector<Hit> hits;
};

// Streams one Packages list, plain or compressed, stanza by stanza, recording the stanzas whose
// (Package, Architecture) is installed.
class ListReader {
 public:
  ListReader(std::unordered_map<std::string, std::vector<Wanted*>>& wanted, std::size_t repository)
      : wanted_(wanted), repository_(repository) {}

  void line(std::string_view l) {
    if (trim(l).empty()) {
      end_stanza();
      return;
    }
    if (l.front() == ' ' || l.front() == '\t') return;  // continuation of a long field
    std::string_view v;
    if (field_value(l, "Package", v)) {
      name_ = v;
    } else if (field_value(l, "Version", v)) {
      version_ = v;
    } else if (field_value(l, "Architecture", v)) {
      arch_ = v;
    }
  }

  void end_stanza() {
    if (!name_.empty() && !version_.empty()) {
      if (auto it = wanted_.find(name_); it != wanted_.end()) {
        for (Wanted* w : it->second) {
          if (w->package->arch == arch_) w->hits.push_back(Hit{version_, repository_});
        }
      }
    }
    name_.clear();
    version_.clear();
    arch_.clear();
  }

 private:
  std::unordered_map<std::string, std::vector<Wanted*>>& wanted_;
  std::size_t repository_;
  std::string name_, version_, arch_;
};

Result<> read_list(const std::filesystem::path& file, int filter, std::uint64_t max_bytes,
                   ListReader& reader) {
  ArchivePtr a(archive_read_new());
  if (!a) return fail(Errc::resource_exhausted, "cannot allocate a decompressor");
  // The raw format hands over the decompressed stream as one entry; the filters are told by
  // content, so a list apt kept as .lz4, .xz, .gz, .zst or plain text reads the same.
  archive_read_support_filter_all(a.get());
  archive_read_support_format_raw(a.get());
  auto error = [&](std::string_view what) {
    const char* msg = archive_error_string(a.get());
    return fail(Errc::data_loss,
                file.string() + ": " + std::string(what) + (msg ? std::string(": ") + msg : ""));
  };
  if (archive_read_open_filename(a.get(), file.c_str(), 1 << 16) != ARCHIVE_OK)
    return error("cannot open");
  archive_entry* entry = nullptr;
  int header = archive_read_next_header(a.get(), &entry);
  if (header == ARCHIVE_EOF) return {};  // an empty list: a repository with no packages
  if (header != ARCHIVE_OK) return error("corrupt");
  // Told by content, a damaged .xz whose magic is gone would otherwise be read as plain text.
  if (archive_filter_code(a.get(), 0) != filter)
    return fail(Errc::data_loss, file.string() + ": not in the compression its name says");
  std::uint64_t total = 0;
  std::string carry;
  std::array<char, 1 << 16> buf;
  for (;;) {
    la_ssize_t n = archive_read_data(a.get(), buf.data(), buf.size());
    if (n < 0) return error("corrupt");
    if (n == 0) break;
    total += static_cast<std::uint64_t>(n);
    if (total > max_bytes) {
      return fail(Errc::resource_exhausted,
                  file.string() + ": more than " + std::to_string(max_bytes) + " bytes of text");
    }
    std::string_view chunk(buf.data(), static_cast<std::size_t>(n));
    for (auto nl = chunk.find('\n'); nl != std::string_view::npos; nl = chunk.find('\n')) {
      if (carry.empty()) {
        reader.line(chunk.substr(0, nl));
      } else {
        carry.append(chunk.substr(0, nl));
        reader.line(carry);
        carry.clear();
      }
      chunk.remove_prefix(nl + 1);
    }
    carry.append(chunk);
  }
  if (!carry.empty()) reader.line(carry);
  reader.end_stanza();
  return {};
}

bool same_version(const versions::VersionScheme& dpkg, std::string_view a, std::string_view b) {
  if (a == b) return true;
  auto c = dpkg.compare(a, b);
  return c && *c == 0;
}

}  // namespace

AptRelease parse_apt_release(std::string_view text) {
  // A clear-signed InRelease: armor headers ("Hash: SHA512") end at the first blank line.
  if (text.starts_with("-----BEGIN PGP SIGNED MESSAGE-----")) {
    auto blank = text.find("\n\n");
    auto blank_crlf = text.find("\n\r\n");
    if (blank == std::string_view::npos ||
        (blank_crlf != std::string_view::npos && blank_crlf < blank)) {
      blank = blank_crlf == std::string_view::npos ? text.size() : blank_crlf + 1;
    }
    text.remove_prefix(std::min(text.size(), blank + 2));
  }
  AptRelease r;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (trim(line).empty() || line.starts_with("-----BEGIN PGP SIGNATURE")) break;
    std::string_view v;
    if (field_value(line, "Origin", v)) {
      r.origin = v;
    } else if (field_value(line, "Label", v)) {
      r.label = v;
    } else if (field_value(line, "Suite", v)) {
      r.suite = v;
    } else if (field_value(line, "Codename", v)) {
      r.codename = v;
    }
  }
  return r;
}

std::string AptRepository::supplier() const {
  if (!release.origin.empty()) return release.origin;
  if (!release.label.empty()) return release.label;
  return site.empty() ? "local repository" : site;
}

std::vector<std::string> default_distribution_origins(std::string_view ecosystem) {
  if (ecosystem == "Debian" || ecosystem.starts_with("Debian:"))
    return {"Debian", "Debian Backports"};
  if (ecosystem == "Ubuntu" || ecosystem.starts_with("Ubuntu:"))
    return {"Ubuntu", "UbuntuESM", "UbuntuESMApps"};
  return {};
}

Result<AptListsResult> mark_package_suppliers(std::vector<Package>& packages,
                                              const AptListsOptions& options) {
  AptListsResult result;
  std::error_code ec;
  if (!std::filesystem::is_directory(options.dir, ec)) return result;
  struct List {
    std::string name, stem;
    int filter;
    bool operator<(const List& o) const { return name < o.name; }
  };
  std::vector<List> lists;
  std::filesystem::directory_iterator it(options.dir, ec), end;
  if (ec) {
    return fail(Errc::unavailable, options.dir.string() + ": " + ec.message());
  }
  for (; it != end; it.increment(ec)) {
    if (ec) return fail(Errc::unavailable, options.dir.string() + ": " + ec.message());
    std::string name = it->path().filename().string();
    std::string_view stem;
    int filter = ARCHIVE_FILTER_NONE;
    if (!packages_list_stem(name, stem, filter)) continue;
    if (!it->is_regular_file(ec)) continue;
    if (lists.size() == kMaxListFiles) {
      return fail(Errc::resource_exhausted, options.dir.string() + ": more than " +
                                                std::to_string(kMaxListFiles) + " package lists");
    }
    lists.push_back(List{name, std::string(stem), filter});
  }
  if (lists.empty()) return result;
  std::sort(lists.begin(), lists.end());

  std::vector<Wanted> wanted;
  wanted.reserve(packages.size());
  std::unordered_map<std::string, std::vector<Wanted*>> by_name;
  for (Package& p : packages) {
    p.supplier.clear();
    p.third_party = false;
    p.supplier_newest.clear();
    by_name[p.name].push_back(&wanted.emplace_back(Wanted{&p, {}}));
  }

  std::vector<AptRepository> repositories;
  // A list whose Release cannot be read has no known origin: taking it as a third party's
  // would mark the distribution's own packages the moment its InRelease went missing.
  std::map<std::string, std::optional<std::size_t>> repository_of_release;
  for (const auto& [name, stem, filter] : lists) {
    std::filesystem::path release = release_of(options.dir, stem);
    if (release.empty()) {
      result.warnings.push_back((options.dir / name).string() +
                                ": no InRelease or Release file beside it; its packages are not "
                                "told apart");
      continue;
    }
    auto [pos, inserted] = repository_of_release.emplace(release.string(), std::nullopt);
    if (inserted) {
      auto text = read_bounded_file(release, kMaxReleaseBytes);
      if (!text) {
        result.warnings.push_back(release.string() + ": " + text.error().message +
                                  "; its lists' packages are not told apart");
      } else {
        AptRepository repo;
        repo.site = stem.substr(0, stem.find('_'));
        repo.release = parse_apt_release(*text);
        pos->second = repositories.size();
        repositories.push_back(std::move(repo));
      }
    }
    if (!pos->second) continue;
    ListReader reader(by_name, *pos->second);
    auto read = read_list(options.dir / name, filter, options.max_list_bytes, reader);
    if (!read) {
      result.warnings.push_back(read.error().message + "; its packages are not told apart");
      continue;
    }
    ++result.lists;
  }

  auto distribution = [&](std::size_t repository) {
    const std::string& origin = repositories[repository].release.origin;
    return std::find(options.distribution_origins.begin(), options.distribution_origins.end(),
                     origin) != options.distribution_origins.end();
  };
  const versions::VersionScheme& dpkg = **versions::scheme_for_ecosystem("Debian");
  for (Wanted& w : wanted) {
    if (w.hits.empty()) continue;
    Package& p = *w.package;
    std::optional<std::size_t> distro_exact;
    std::vector<std::string> third_exact, third_any;
    bool distro_any = false;
    for (const Hit& h : w.hits) {
      bool exact = same_version(dpkg, h.version, p.version);
      if (distribution(h.repository)) {
        distro_any = true;
        if (exact && !distro_exact) distro_exact = h.repository;
      } else {
        (exact ? third_exact : third_any).push_back(repositories[h.repository].supplier());
      }
    }
    if (distro_exact) {
      p.supplier = repositories[*distro_exact].supplier();
      continue;
    }
    std::vector<std::string>& from = third_exact.empty() ? third_any : third_exact;
    if (from.empty() || (third_exact.empty() && distro_any)) continue;
    std::sort(from.begin(), from.end());
    p.supplier = from.front();
    p.third_party = true;
    ++result.third_party;
    for (const Hit& h : w.hits) {
      if (repositories[h.repository].supplier() != p.supplier) continue;
      auto newer =
          p.supplier_newest.empty() ? Result<int>(1) : dpkg.compare(h.version, p.supplier_newest);
      if (newer && *newer > 0) p.supplier_newest = h.version;
    }
  }
  return result;
}

}  // namespace patchparty::inventory
