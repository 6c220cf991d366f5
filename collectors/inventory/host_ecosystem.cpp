#include "collectors/inventory/host_ecosystem.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <array>

#include "core/base/bounded_file.h"

namespace patchparty::inventory {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxSmallFile = 64 << 10;
constexpr std::size_t kMaxProStatus = 4 << 20;

// Families os-release names whose advisories no OSV ecosystem carries: saying so beats the
// generic "no OSV ecosystem", which reads like a bug.
struct Uncovered {
  std::string_view id;
  std::string_view family;
  std::string_view publishes;
};
constexpr std::array<Uncovered, 6> kUncovered{{
    {"ol", "Oracle Linux", "ELSA advisories as OVAL"},
    {"amzn", "Amazon Linux", "ALAS advisories as RSS and OVAL"},
    {"centos", "CentOS", "no advisories of its own"},
    {"fedora", "Fedora", "advisories in Bodhi"},
    {"mariner", "CBL-Mariner", "advisories as OVAL"},
    {"azurelinux", "Azure Linux", "advisories as OVAL"},
}};

Error uncovered(const Uncovered& u) {
  return Error{Errc::failed_precondition,
               std::string(u.family) + " (os-release ID '" + std::string(u.id) +
                   "'): no OSV ecosystem carries its advisories (it publishes " +
                   std::string(u.publishes) + ")"};
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// os-release: the configured file, or the two places os-release(5) names.
Result<OsRelease> read_release(const config::InventoryConfig& inv) {
  if (inv.os_release == fs::path("/etc/os-release")) return read_os_release(inv.root);
  const fs::path file = under_root(inv.root, inv.os_release);
  PP_TRY(text, read_bounded_file(file, kMaxSmallFile));
  auto os = parse_os_release(text);
  if (!os) return tl::make_unexpected(with_context(std::move(os).error(), file.string()));
  return os;
}

// ubuntu-pro-client keeps {"attached": true, ...} here once `pro attach` has run.
bool attached_to_ubuntu_pro(const fs::path& root) {
  auto text =
      read_bounded_file(under_root(root, "/var/lib/ubuntu-advantage/status.json"), kMaxProStatus);
  if (!text) return false;
  rapidjson::Document doc;
  doc.Parse(text->data(), text->size());
  if (doc.HasParseError() || !doc.IsObject()) return false;
  auto it = doc.FindMember("attached");
  return it != doc.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

// subscription-manager writes the repositories a host is entitled to and has enabled here; an
// extended stream's have its name in their id ("rhel-9-for-x86_64-baseos-eus-rpms").
constexpr std::string_view kRedhatRepo = "/etc/yum.repos.d/redhat.repo";
constexpr std::size_t kMaxRepoFile = 4 << 20;

Result<std::string> redhat_stream_from_repos(const fs::path& root) {
  auto text = read_bounded_file(under_root(root, kRedhatRepo), kMaxRepoFile);
  if (!text) {
    if (text.error().code == Errc::not_found) return std::string("none");
    return tl::make_unexpected(std::move(text).error());
  }
  std::string section, streams;
  auto take = [&](std::string_view id) {
    for (std::string_view stream : {"eus", "aus", "e4s", "tus"}) {
      if (id.find("-" + std::string(stream) + "-") == std::string_view::npos) continue;
      if (streams.find(stream) == std::string::npos)
        streams += (streams.empty() ? "" : ", ") + std::string(stream);
    }
  };
  std::string_view rest = *text;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (line.starts_with("[") && line.ends_with("]")) {
      section = line.substr(1, line.size() - 2);
      continue;
    }
    std::string compact;
    for (char c : line)
      if (c != ' ' && c != '\t') compact += c;
    if (compact == "enabled=1" || compact == "enabled=true") take(section);
  }
  if (streams.empty()) return std::string("none");
  if (streams.find(',') != std::string::npos) {
    return fail(Errc::invalid_argument,
                std::string(kRedhatRepo) + " enables repositories of several extended streams (" +
                    streams + "); set inventory.redhat_stream to the one the host follows");
  }
  return streams;
}

Result<std::string> with_streams(std::string ecosystem, const OsRelease* os,
                                 const config::InventoryConfig& inv) {
  constexpr std::string_view kUbuntu = "Ubuntu:";
  if (ecosystem.starts_with(kUbuntu) && !ecosystem.starts_with("Ubuntu:Pro:")) {
    const bool pro =
        inv.ubuntu_pro == config::Toggle::on ||
        (inv.ubuntu_pro == config::Toggle::automatic && attached_to_ubuntu_pro(inv.root));
    if (pro) ecosystem.insert(kUbuntu.size(), "Pro:");
  }
  std::string stream = inv.redhat_stream;
  if (ecosystem.starts_with("Red Hat:enterprise_linux:") && stream == "auto") {
    PP_TRY(found, redhat_stream_from_repos(inv.root));
    stream = std::move(found);
  }
  if (ecosystem.starts_with("Red Hat:enterprise_linux:") && stream != "none" && stream != "auto") {
    // Extended streams are per minor release: "Red Hat:rhel_eus:9.2".
    const std::string_view v = os ? std::string_view(os->version_id) : std::string_view();
    const auto dot = v.find('.');
    if (dot == std::string_view::npos || !all_digits(v.substr(0, dot)) ||
        !all_digits(v.substr(dot + 1)))
      return fail(Errc::invalid_argument,
                  "the Red Hat stream " + stream +
                      " needs the host's minor release, and os-release's VERSION_ID is '" +
                      std::string(v) + "'");
    ecosystem = "Red Hat:rhel_" + stream + ":" + std::string(v);
  }
  return ecosystem;
}

}  // namespace

Result<std::string> ecosystem_from_cpe(std::string_view cpe) {
  constexpr std::string_view kRhel = "cpe:/o:redhat:enterprise_linux:";
  while (!cpe.empty() && (cpe.back() == '\n' || cpe.back() == ' ')) cpe.remove_suffix(1);
  if (!cpe.starts_with(kRhel))
    return fail(Errc::not_found, "system-release-cpe '" + std::string(cpe) +
                                     "' names no distribution with an OSV ecosystem");
  std::string_view release = cpe.substr(kRhel.size());
  release = release.substr(0, release.find(':'));
  std::size_t digits = 0;
  while (digits < release.size() && release[digits] >= '0' && release[digits] <= '9') ++digits;
  if (digits == 0)
    return fail(Errc::invalid_argument,
                "system-release-cpe '" + std::string(cpe) + "': no major release");
  return "Red Hat:enterprise_linux:" + std::string(release.substr(0, digits));
}

Result<HostEcosystem> host_ecosystem(const config::InventoryConfig& inv) {
  if (!inv.ecosystem.empty()) return HostEcosystem{inv.ecosystem, "configured"};
  auto os = read_release(inv);
  if (os) {
    for (const auto& u : kUncovered)
      if (os->id == u.id) return tl::make_unexpected(uncovered(u));
    PP_TRY(eco, osv_ecosystem(*os));
    PP_TRY(full, with_streams(std::move(eco), &*os, inv));
    return HostEcosystem{std::move(full), "os-release"};
  }
  if (os.error().code != Errc::not_found) return tl::make_unexpected(std::move(os).error());
  // Red Hat Enterprise Linux 6 and its kind predate os-release.
  const fs::path cpe_file = under_root(inv.root, "/etc/system-release-cpe");
  auto cpe = read_bounded_file(cpe_file, kMaxSmallFile);
  if (!cpe) {
    if (cpe.error().code != Errc::not_found) return tl::make_unexpected(std::move(cpe).error());
    return fail(Errc::not_found, "no os-release under " + inv.root.string() + " (" +
                                     os.error().message + ") and no " + cpe_file.string() +
                                     ": cannot tell the distribution");
  }
  PP_TRY(eco, ecosystem_from_cpe(*cpe));
  PP_TRY(full, with_streams(std::move(eco), nullptr, inv));
  return HostEcosystem{std::move(full), "system-release-cpe"};
}

}  // namespace patchparty::inventory
