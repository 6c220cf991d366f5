// A CA, a server certificate for 127.0.0.1/localhost and a client certificate, made by the real
// openssl command line for tests of TLS and mutual TLS; a second CA that signed neither.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/loopback.h"
#include "tests/support/scratch_files.h"
#include "tests/support/subprocess.h"

namespace patchparty::testing {

// In `dir`: ca.pem/.key, other-ca.pem/.key, server.pem/.key, client.pem/.key. Fails the test
// when openssl is missing or refuses.
inline void make_test_certificates(const std::filesystem::path& dir) {
  const std::string openssl = find_on_path("openssl");
  ASSERT_FALSE(openssl.empty()) << "openssl not found: apt-get install openssl";
  auto run_openssl = [&](std::vector<std::string> args) {
    args.insert(args.begin(), openssl);
    auto r = run(args, dir);
    EXPECT_EQ(r.code, 0) << r.err;
  };
  const std::vector<std::string> ec = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                       "-nodes"};
  for (const std::string name : {"ca", "other-ca"}) {
    std::vector<std::string> args = {"req", "-x509"};
    args.insert(args.end(), ec.begin(), ec.end());
    args.insert(args.end(),
                {"-keyout", (dir / (name + ".key")).string(), "-out",
                 (dir / (name + ".pem")).string(), "-days", "2", "-subj", "/CN=" + name});
    run_openssl(args);
  }
  const std::pair<std::string, std::string> leaves[] = {
      {"server", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"},
      {"client", "extendedKeyUsage=clientAuth\n"}};
  for (const auto& [name, ext] : leaves) {
    write_file(dir / (name + ".ext"), ext);
    std::vector<std::string> args = {"req"};
    args.insert(args.end(), ec.begin(), ec.end());
    args.insert(args.end(), {"-keyout", (dir / (name + ".key")).string(), "-out",
                             (dir / (name + ".csr")).string(), "-subj", "/CN=" + name});
    run_openssl(args);
    run_openssl({"x509", "-req", "-in", (dir / (name + ".csr")).string(), "-CA",
                 (dir / "ca.pem").string(), "-CAkey", (dir / "ca.key").string(), "-CAcreateserial",
                 "-out", (dir / (name + ".pem")).string(), "-days", "2", "-extfile",
                 (dir / (name + ".ext")).string()});
  }
}

}  // namespace patchparty::testing
