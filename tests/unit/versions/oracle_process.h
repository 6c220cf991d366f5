// Runs a tests/oracles script once over a batch of input lines and returns its output lines.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_data.h"

namespace patchparty::testing {

// The Debian modules (apt_pkg, rpm) load only in the system interpreter.
inline constexpr const char* kSystemPython = "/usr/bin/python3";

inline std::filesystem::path oracle_script(const std::string& name) {
  return std::filesystem::path(PP_SOURCE_DIR) / "tests" / "oracles" / name;
}

inline std::vector<std::string> run_oracle(const std::string& script, const std::string& args,
                                           const std::vector<std::string>& lines) {
  const auto dir = temp_dir("oracle");
  const auto in = dir / "in.txt", out = dir / "out.txt", err = dir / "err.txt";
  {
    std::ofstream f(in, std::ios::binary);
    for (const std::string& l : lines) f << l << '\n';
  }
  const std::string cmd = std::string(kSystemPython) + " '" + oracle_script(script).string() +
                          "' " + args + " < '" + in.string() + "' > '" + out.string() + "' 2> '" +
                          err.string() + "'";
  const int rc = std::system(cmd.c_str());
  std::vector<std::string> result;
  std::ifstream f(out);
  for (std::string l; std::getline(f, l);) result.push_back(l);
  if (rc != 0) {
    std::ifstream e(err);
    std::stringstream ss;
    ss << e.rdbuf();
    ADD_FAILURE() << script << " failed (" << rc << "): " << ss.str();
  }
  std::filesystem::remove_all(dir);
  return result;
}

// Runs `command` (a shell command line made by the test from fixed parts) once with `requests`
// on its standard input, one a line, and returns its standard output lines.
inline std::vector<std::string> run_oracle_command(const std::string& command,
                                                   const std::vector<std::string>& requests) {
  const auto dir = temp_dir("oracle");
  {
    std::ofstream in(dir / "requests", std::ios::binary);
    for (const auto& r : requests) in << r << '\n';
  }
  const std::string full =
      command + " < '" + (dir / "requests").string() + "' 2>'" + (dir / "stderr").string() + "'";
  std::vector<std::string> out;
  FILE* p = ::popen(full.c_str(), "r");
  if (!p) return out;
  std::string line;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p)) {
    line += buf;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      out.push_back(line);
      line.clear();
    }
  }
  const int status = ::pclose(p);
  if (status != 0) {
    std::ifstream err(dir / "stderr");
    std::stringstream ss;
    ss << err.rdbuf();
    ADD_FAILURE() << command << " exited with " << status << ": " << ss.str();
  }
  std::filesystem::remove_all(dir);
  return out;
}

inline std::string hex(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

inline std::filesystem::path oracle_dir() {
  return std::filesystem::path(PP_SOURCE_DIR) / "tests/oracles";
}

// node's semver package comes from `npm ci` in tests/oracles; its absence is a failure.
inline bool node_oracle_ready() {
  if (std::filesystem::exists(oracle_dir() / "node_modules/semver/package.json")) return true;
  ADD_FAILURE() << "node's semver package is missing from " << oracle_dir() / "node_modules"
                << ": run scripts/setup.sh (it runs `npm ci` in tests/oracles)";
  return false;
}

// The command line of the composer/semver oracle; composer/semver's absence is a failure.
inline std::string composer_oracle() {
  if (!std::filesystem::exists("/usr/share/php/Composer/Semver/autoload.php"))
    ADD_FAILURE() << "composer/semver is missing: run scripts/setup.sh (Debian package composer)";
  return "php '" +
         (std::filesystem::path(PP_SOURCE_DIR) / "tests/oracles/composer_oracle.php").string() +
         "'";
}

// A newline travels to the composer oracle as U+001E, so each request stays one line.
inline std::string encode(std::string request) {
  for (char& c : request)
    if (c == '\n') c = '\x1e';
  return request;
}

}  // namespace patchparty::testing
