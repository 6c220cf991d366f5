// Which distribution release a host or image runs, from os-release(5), and the OSV ecosystem
// its distro packages are published under.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace patchparty::inventory {

struct OsRelease {
  std::string id;                // "debian", "ubuntu", "alpine", "rhel"
  std::string version_id;        // "12", "22.04", "3.19.1", "9.3"; absent on Debian testing/sid
  std::string version_codename;  // "bookworm"
  std::string id_like;           // "rhel centos fedora"
  std::string pretty_name;       // "openSUSE Leap 15.5": SUSE ecosystems are named from it
  std::string version;           // "22.04.3 LTS (Jammy Jellyfish)": Ubuntu marks LTS here
};

// Shell-style KEY=value lines: '#' comments, "double quotes" with \" \\ \$ \` escapes,
// 'single quotes' taken literally, backslash escapes outside quotes, quoted values spanning
// lines. Lines that are not assignments are skipped, as systemd does; an unterminated quote
// is Errc::data_loss naming the line, since the value it started cannot be trusted.
[[nodiscard]] Result<OsRelease> parse_os_release(std::string_view text);

// The OSV ecosystem (osv-schema ecosystems.json) for the distro's own packages:
//   debian 12 → "Debian:12"; no VERSION_ID (testing and sid, which os-release cannot tell
//     apart) → "Debian", unscoped, so every Debian advisory is matched by version;
//   ubuntu 22.04 → "Ubuntu:22.04:LTS" (the schema makes ":LTS" mandatory for LTS releases),
//     23.10 → "Ubuntu:23.10";
//   alpine 3.19.1 → "Alpine:v3.19"; edge (a "_alpha" VERSION_ID) has no OSV ecosystem;
//   rhel 9.3 → "Red Hat:enterprise_linux:9": OSV scopes Red Hat by CPE, and the repository
//     part ("::baseos", "::appstream") belongs to each package, not to the host, so matching
//     treats this as a prefix;
//   rocky / almalinux 9.3 → "Rocky Linux:9" / "AlmaLinux:9";
//   opensuse-leap 15.5 → "openSUSE:Leap 15.5", opensuse-tumbleweed → "openSUSE:Tumbleweed",
//   sles → "SUSE:" + PRETTY_NAME without its "SUSE " ("SUSE:Linux Enterprise Server 15 SP5");
//   mageia 9 → "Mageia:9", photon 5.0 → "Photon OS:5.0", wolfi → "Wolfi",
//   chainguard → "Chainguard".
// ID_LIKE is not followed: a derivative (Mint, Raspbian) rebuilds packages with its own
// versions, so its parent's advisories would match wrongly. Unknown IDs are Errc::not_found;
// a malformed VERSION_ID for a known ID is Errc::invalid_argument.
[[nodiscard]] Result<std::string> osv_ecosystem(const OsRelease& os);

// /etc/os-release, else /usr/lib/os-release, under `root` (a chroot or unpacked image).
[[nodiscard]] Result<OsRelease> read_os_release(const std::filesystem::path& root = "/");

}  // namespace patchparty::inventory
