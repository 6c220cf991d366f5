#include "collectors/feeds/friendsofphp.h"

#include <archive.h>
#include <archive_entry.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <exception>
#include <memory>
#include <new>
#include <optional>

#include "collectors/feeds/kev.h"
#include "collectors/feeds/zip_signature.h"
#include "core/base/bounded_file.h"
#include "core/base/c_handles.h"
#include "core/base/yaml_nesting.h"

namespace patchparty::feeds {

namespace {

using ArchivePtr = std::unique_ptr<archive, CFree<archive_read_free>>;

// Composer refuses longer constraint strings (see core/versions/composer_constraint.h).
constexpr std::size_t kMaxConstraintBytes = 1024;
// Real advisories list up to about 30 branches. Aliases let a small file name one long list from
// many branches, so the cap also bounds the work and memory a hostile file can cause.
constexpr std::size_t kMaxBranches = 256;

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    std::size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    if (!part.empty()) parts.push_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

// Composer's name rule, case-folded: "vendor/package" from [a-z0-9._-], each part starting and
// ending with a letter or digit.
std::optional<std::string> package_name(std::string_view vendor, std::string_view package) {
  auto part = [](std::string_view s) {
    if (s.empty() || s.size() > 100) return false;
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!alnum(s.front()) || !alnum(s.back())) return false;
    return std::all_of(s.begin(), s.end(),
                       [&](char c) { return alnum(c) || c == '.' || c == '_' || c == '-'; });
  };
  std::string name = std::string(vendor) + "/" + std::string(package);
  for (char& c : name)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (!part(std::string_view(name).substr(0, vendor.size())) ||
      !part(std::string_view(name).substr(vendor.size() + 1)))
    return std::nullopt;
  return name;
}

std::optional<std::string> package_from_reference(std::string_view reference) {
  constexpr std::string_view kScheme = "composer://";
  if (!reference.starts_with(kScheme)) return std::nullopt;
  auto parts = split_path(reference.substr(kScheme.size()));
  if (parts.size() != 2 || reference.ends_with("/")) return std::nullopt;
  return package_name(parts[0], parts[1]);
}

// GitHub's advisory ids: "GHSA-" and three groups of four from a 20-character alphabet.
bool is_ghsa_id(std::string_view s) {
  constexpr std::string_view kAlphabet = "23456789cfghjmpqrvwx";
  if (s.size() != 19 || !s.starts_with("GHSA-") || s[9] != '-' || s[14] != '-') return false;
  for (std::size_t i = 5; i < s.size(); ++i)
    if (i != 9 && i != 14 && kAlphabet.find(s[i]) == std::string_view::npos) return false;
  return true;
}

std::string_view stem(std::string_view file) {
  std::size_t dot = file.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? file : file.substr(0, dot);
}

struct Bound {
  std::string op;
  std::string version;
};

// ">=2.0.0", "< 2.0.5": one comparison against one plain version, nothing else.
std::optional<Bound> simple_bound(std::string_view c) {
  Bound b;
  for (std::string_view op : {">=", "<=", ">", "<"}) {
    if (c.starts_with(op)) {
      b.op = std::string(op);
      c.remove_prefix(op.size());
      break;
    }
  }
  if (b.op.empty()) return std::nullopt;
  while (!c.empty() && c.front() == ' ') c.remove_prefix(1);
  if (c.empty() || !std::isalnum(static_cast<unsigned char>(c.front()))) return std::nullopt;
  for (char ch : c)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '-' && ch != '_' &&
        ch != '+')
      return std::nullopt;
  b.version = std::string(c);
  return b;
}

// The OSV range of one branch, or nothing when its constraints are not simple bounds that OSV
// can state.
std::optional<Range> ecosystem_range(const std::vector<std::string>& constraints) {
  std::optional<Bound> lower, upper;
  for (const auto& c : constraints) {
    auto b = simple_bound(c);
    if (!b) return std::nullopt;
    auto& slot = b->op[0] == '>' ? lower : upper;
    if (slot) return std::nullopt;
    slot = std::move(b);
  }
  if (lower && lower->op == ">") return std::nullopt;
  Range r;
  r.type = Range::Type::ecosystem;
  r.events.push_back({RangeEvent::Kind::introduced, lower ? lower->version : "0"});
  if (upper)
    r.events.push_back(
        {upper->op == "<" ? RangeEvent::Kind::fixed : RangeEvent::Kind::last_affected,
         upper->version});
  return r;
}

class AdvisoryReader {
 public:
  explicit AdvisoryReader(std::string_view path) : path_(path) {}

  tl::unexpected<Error> bad(std::string_view what) const {
    return fail(Errc::invalid_argument, "friendsofphp " + path_ + ": " + std::string(what));
  }

  // A scalar member, nullopt when absent or null ("cve: ~").
  Result<std::optional<std::string>> scalar(const YAML::Node& map, const char* key) const {
    const YAML::Node n = map[key];
    if (!n.IsDefined() || n.IsNull()) return std::optional<std::string>();
    if (!n.IsScalar()) return bad(std::string(key) + ": expected a string");
    return std::optional<std::string>(n.Scalar());
  }

  Result<Advisory> read(const YAML::Node& root) const {
    if (!root.IsMap()) return bad("expected a mapping");
    auto parts = split_path(path_);
    PP_TRY(title, scalar(root, "title"));
    PP_TRY(link, scalar(root, "link"));
    PP_TRY(cve, scalar(root, "cve"));
    PP_TRY(reference, scalar(root, "reference"));
    PP_TRY(repository, scalar(root, "composer-repository"));
    if (!title || title->empty()) return bad("missing title");

    std::optional<std::string> name;
    if (reference) name = package_from_reference(*reference);
    if (!name && parts.size() >= 3)
      name = package_name(parts[parts.size() - 3], parts[parts.size() - 2]);
    if (!name) return bad("no vendor/package name in reference or path");

    std::string stable = "FRIENDSOFPHP-";
    if (parts.size() >= 3) {
      stable += std::string(parts[parts.size() - 3]) + "/" + std::string(parts[parts.size() - 2]) +
                "/" + std::string(stem(parts.back()));
    } else if (!parts.empty()) {
      stable += *name + "/" + std::string(stem(parts.back()));
    } else {
      return bad("no file name for a stable id");
    }

    Advisory a;
    a.feed = "friendsofphp";
    if (cve && !cve->empty()) {
      if (!is_cve_id(*cve)) return bad("cve: not a CVE id");
      a.id = *cve;
      a.aliases.push_back(std::move(stable));
    } else {
      a.id = std::move(stable);
    }
    // Files named for a GitHub advisory let it merge with the same advisory from OSV.
    if (!parts.empty() && is_ghsa_id(stem(parts.back())))
      a.aliases.emplace_back(stem(parts.back()));
    a.summary = std::move(*title);
    if (link && !link->empty()) a.references.push_back({"ADVISORY", std::move(*link)});
    // "false" means the package is on no repository; the default Packagist adds nothing.
    if (repository && *repository != "false" && !repository->empty() &&
        !repository->starts_with("https://packagist.org"))
      a.references.push_back({"PACKAGE", std::move(*repository)});

    Affected af;
    af.ecosystem = "Packagist";
    af.name = std::move(*name);
    PP_TRY(all_bounded, read_branches(root, af));
    af.fix_status = all_bounded ? FixStatus::fixed : FixStatus::unfixed;
    a.affected.push_back(std::move(af));
    return a;
  }

 private:
  // Fills native_ranges and ranges; true when every branch has an upper bound.
  Result<bool> read_branches(const YAML::Node& root, Affected& af) const {
    const YAML::Node branches = root["branches"];
    if (!branches.IsDefined() || !branches.IsMap() || branches.size() == 0)
      return bad("branches: expected a non-empty mapping");
    if (branches.size() > kMaxBranches)
      return bad("branches: more than " + std::to_string(kMaxBranches));
    bool all_bounded = true;
    for (const auto& kv : branches) {
      // Named in messages only; cut so a hostile key cannot blow up the log.
      std::string branch = kv.first.IsScalar() ? kv.first.Scalar().substr(0, 64) : "?";
      const YAML::Node& body = kv.second;
      if (!body.IsMap()) return bad("branches." + branch + ": expected a mapping");
      const YAML::Node versions = body["versions"];
      if (!versions.IsDefined() || !versions.IsSequence() || versions.size() == 0)
        return bad("branches." + branch + ".versions: expected a non-empty list");
      std::vector<std::string> constraints;
      std::string joined;
      bool bounded = false;
      for (const auto& v : versions) {
        if (!v.IsScalar()) return bad("branches." + branch + ".versions: expected strings");
        std::string_view c = v.Scalar();
        while (!c.empty() && c.front() == ' ') c.remove_prefix(1);
        while (!c.empty() && c.back() == ' ') c.remove_suffix(1);
        if (c.empty()) return bad("branches." + branch + ".versions: empty constraint");
        // An OR inside one entry would bind looser than the "," that joins the entries.
        if (std::any_of(c.begin(), c.end(), [](char ch) {
              return ch == '|' || static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f;
            }))
          return bad("branches." + branch + ".versions: '" + std::string(c.substr(0, 64)) +
                     "' is not a plain constraint");
        if (c.front() == '<') bounded = true;
        if (!joined.empty()) joined += ',';
        joined += c;
        if (joined.size() > kMaxConstraintBytes)
          return bad("branches." + branch + ".versions: constraint over 1024 bytes");
        constraints.emplace_back(c);
      }
      all_bounded = all_bounded && bounded;
      af.native_ranges.push_back(std::move(joined));
      if (auto r = ecosystem_range(constraints)) af.ranges.push_back(std::move(*r));
    }
    return all_bounded;
  }

  std::string path_;
};

// "<top>/<vendor>/<package>/<name>.yaml" or "<vendor>/<package>/<name>.yaml" → the latter;
// nothing for files that are not advisories (hidden folders, README, scripts).
std::optional<std::string> advisory_path(std::string_view member) {
  auto parts = split_path(member);
  if (parts.size() == 4) parts.erase(parts.begin());
  if (parts.size() != 3) return std::nullopt;
  for (auto p : parts)
    if (p.front() == '.') return std::nullopt;
  if (!parts[2].ends_with(".yaml") || parts[2].size() == 5) return std::nullopt;
  return std::string(parts[0]) + "/" + std::string(parts[1]) + "/" + std::string(parts[2]);
}

Result<> take(std::string_view yaml, std::string_view path, std::string_view container,
              const std::function<Result<>(Advisory&&)>& sink, FriendsOfPhpReadStats& stats) {
  auto a = parse_friendsofphp_advisory(yaml, path);
  if (!a) {
    if (a.error().code != Errc::invalid_argument)
      return tl::make_unexpected(container.empty() ? std::move(a).error()
                                                   : with_context(std::move(a).error(), container));
    ++stats.skipped;
    if (stats.skipped_examples.size() < 5) stats.skipped_examples.push_back(a.error().message);
    return {};
  }
  ++stats.advisories;
  return sink(std::move(*a));
}

Result<> read_zip(const std::filesystem::path& path, const FriendsOfPhpReadOptions& options,
                  const std::function<Result<>(Advisory&&)>& sink, FriendsOfPhpReadStats& stats) {
  ArchivePtr a(archive_read_new());
  if (!a) return fail(Errc::resource_exhausted, "friendsofphp: cannot allocate a zip reader");
  archive_read_support_format_zip(a.get());
  auto error = [&](std::string_view what) {
    const char* msg = archive_error_string(a.get());
    return fail(Errc::data_loss,
                path.string() + ": " + std::string(what) + ": " + (msg ? msg : "unknown"));
  };
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    return error("cannot open zip");
  std::error_code ec;
  std::uint64_t total = std::filesystem::file_size(path, ec);
  archive_entry* entry = nullptr;
  std::string buf;
  std::array<char, 1 << 16> chunk;
  for (;;) {
    int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) return error("corrupt zip");
    const char* raw_name = archive_entry_pathname(entry);
    if (archive_entry_filetype(entry) != AE_IFREG || !raw_name) continue;
    auto member = advisory_path(raw_name);
    if (!member) continue;
    buf.clear();
    for (;;) {
      la_ssize_t n = archive_read_data(a.get(), chunk.data(), chunk.size());
      if (n < 0) return error(*member);
      if (n == 0) break;
      if (buf.size() + static_cast<std::size_t>(n) > kMaxFriendsOfPhpFileBytes)
        return fail(Errc::resource_exhausted,
                    path.string() + ": " + *member + ": advisory file over the size limit");
      buf.append(chunk.data(), static_cast<std::size_t>(n));
    }
    PP_CHECK(take(buf, *member, path.filename().string(), sink, stats));
    stats.bytes = static_cast<std::uint64_t>(archive_filter_bytes(a.get(), -1));
    if (options.progress) options.progress(stats.bytes, total);
  }
  return {};
}

Result<> read_tree(const std::filesystem::path& root, const FriendsOfPhpReadOptions& options,
                   const std::function<Result<>(Advisory&&)>& sink, FriendsOfPhpReadStats& stats) {
  std::vector<std::pair<std::string, std::filesystem::path>> files;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const auto name = it->path().filename().string();
    std::error_code entry_ec;  // a dangling symlink is passed over, not a failed walk
    if (it->is_directory(entry_ec) && name.starts_with(".")) {
      it.disable_recursion_pending();  // .git holds thousands of objects, none an advisory
      continue;
    }
    if (!it->is_regular_file(entry_ec)) continue;
    if (auto member = advisory_path(it->path().lexically_relative(root).generic_string()))
      files.emplace_back(std::move(*member), it->path());
  }
  if (ec) return tl::make_unexpected(errno_error(ec.value(), root.string()));
  std::sort(files.begin(), files.end());  // a stable order makes logs and tests repeatable
  std::uint64_t done = 0;
  for (const auto& [member, file] : files) {
    PP_TRY(text, read_bounded_file(file, kMaxFriendsOfPhpFileBytes));
    stats.bytes += text.size();
    PP_CHECK(take(text, member, {}, sink, stats));
    if (options.progress) options.progress(++done, files.size());
  }
  return {};
}

}  // namespace

Result<Advisory> parse_friendsofphp_advisory(std::string_view yaml, std::string_view path) {
  const std::string where = "friendsofphp " + std::string(path);
  if (yaml.size() > kMaxFriendsOfPhpFileBytes)
    return fail(Errc::resource_exhausted,
                where + ": over " + std::to_string(kMaxFriendsOfPhpFileBytes) + " bytes");
  if (!yaml_nesting_within(yaml, kMaxFriendsOfPhpNesting))
    return fail(Errc::invalid_argument, where + ": nested deeper than " +
                                            std::to_string(kMaxFriendsOfPhpNesting) + " levels");
  // yaml-cpp reports everything by exception; none may leave this function.
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return fail(Errc::data_loss, where + ": malformed YAML: " + e.what());
  } catch (const std::bad_alloc&) {
    return fail(Errc::resource_exhausted, where + ": out of memory");
  } catch (const std::exception& e) {
    return fail(Errc::data_loss, where + ": malformed YAML: " + e.what());
  }
  try {
    return AdvisoryReader(path).read(root);
  } catch (const std::bad_alloc&) {
    return fail(Errc::resource_exhausted, where + ": out of memory");
  } catch (const std::exception& e) {
    return fail(Errc::invalid_argument, where + ": unexpected shape: " + e.what());
  }
}

Result<FriendsOfPhpReadStats> read_friendsofphp(const std::filesystem::path& path,
                                                const FriendsOfPhpReadOptions& options,
                                                const std::function<Result<>(Advisory&&)>& sink) {
  FriendsOfPhpReadStats stats;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    PP_CHECK(read_tree(path, options, sink, stats));
    return stats;
  }
  if (is_zip(path)) {
    PP_CHECK(read_zip(path, options, sink, stats));
    return stats;
  }
  PP_TRY(text, read_bounded_file(path, kMaxFriendsOfPhpFileBytes));
  stats.bytes = text.size();
  PP_CHECK(take(text, path.generic_string(), {}, sink, stats));
  return stats;
}

namespace {

Result<ReadStats> read_feed(const FetchResult& f, const config::FeedConfig&,
                            const FeedSinks& sinks) {
  FriendsOfPhpReadOptions o;
  o.progress = sinks.progress;
  PP_TRY(s, read_friendsofphp(f.path, o, sinks.advisory));
  return ReadStats{s.advisories, s.skipped, s.skipped_examples};
}

}  // namespace

FeedKind friendsofphp_feed_kind() {
  return FeedKind{.name = "friendsofphp", .check = nullptr, .read = read_feed, .make = nullptr};
}

}  // namespace patchparty::feeds
