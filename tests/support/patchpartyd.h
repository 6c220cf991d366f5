// The real patchpartyd as integration tests run it: one test directory holds its pp.yml, its
// state folder and its output, and a host root whose package database it inventories.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/scratch_files.h"
#include "tests/support/subprocess.h"

namespace patchparty::testing {

// patchpartyd reading `dir`/pp.yml and keeping its state in `dir`/state.
inline std::vector<std::string> patchpartyd_argv(const std::filesystem::path& dir) {
  return {PATCHPARTYD_BIN, "--config", (dir / "pp.yml").string(), "--state-dir",
          (dir / "state").string()};
}

// patchpartyd_argv(dir) started, its stdout and stderr in `dir`/out and `dir`/err.
inline Subprocess start_patchpartyd(const std::filesystem::path& dir) {
  return Subprocess(patchpartyd_argv(dir), {}, dir / "out", dir / "err");
}

// SIGTERM must end the daemon within `timeout`, with exit code 0.
inline void stop_patchpartyd(Subprocess& daemon, std::chrono::milliseconds timeout) {
  daemon.signal(SIGTERM);
  auto code = daemon.wait(timeout);
  EXPECT_TRUE(code.has_value()) << "patchpartyd did not stop";
  if (code) {
    EXPECT_EQ(*code, 0) << daemon.err();
  }
}

// A host root for the daemon's inventory: its os-release and its dpkg status file.
inline void write_debian_root(const std::filesystem::path& root, std::string_view os_release,
                              std::string_view dpkg_status) {
  write_file(root / "etc/os-release", os_release);
  write_file(root / "var/lib/dpkg/status", dpkg_status);
}

// A Debian 11 host whose policykit-1 predates the fix of CVE-2021-4034 (DSA-5059-1, in CISA's
// KEV catalog), beside an up-to-date libc6.
inline void write_bullseye_root(const std::filesystem::path& root) {
  write_debian_root(root, "ID=debian\nVERSION_ID=\"11\"\nVERSION_CODENAME=bullseye\n",
                    "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\n"
                    "Version: 2.31-13+deb11u5\n\n"
                    "Package: policykit-1\nStatus: install ok installed\nArchitecture: amd64\n"
                    "Version: 0.105-31\n\n");
}

// A Debian 12 host of two packages, libc6 and openssl.
inline void write_bookworm_root(const std::filesystem::path& root) {
  write_debian_root(root, "ID=debian\nVERSION_ID=\"12\"\n",
                    "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\n"
                    "Version: 2.36-9+deb12u4\n\n"
                    "Package: openssl\nStatus: install ok installed\nArchitecture: amd64\n"
                    "Version: 3.0.11-1~deb12u2\n\n");
}

}  // namespace patchparty::testing
