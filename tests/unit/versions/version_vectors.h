// Reads the shared "A OP B" version-ordering vectors and checks a scheme against them.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/versions/version_scheme.h"

namespace patchparty::testing {

struct VersionVector {
  int line = 0;
  std::string a;
  char op = '=';  // '<', '=' or '>'
  std::string b;
};

// Lines are "A OP B"; empty lines and lines starting with "# " or "// " are comments. Anything
// else that is not three space-separated fields with a known operator fails the test.
inline std::vector<VersionVector> read_vectors(const std::filesystem::path& file) {
  std::vector<VersionVector> out;
  std::ifstream in(file);
  EXPECT_TRUE(in.good()) << "cannot read " << file;
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty() || text.starts_with("# ") || text.starts_with("// ")) continue;
    VersionVector v;
    v.line = line;
    std::size_t s1 = text.find(' ');
    std::size_t s2 = s1 == std::string::npos ? s1 : text.find(' ', s1 + 1);
    bool ok =
        s2 != std::string::npos && s2 == s1 + 2 && text.find(' ', s2 + 1) == std::string::npos;
    if (ok) {
      v.a = text.substr(0, s1);
      v.op = text[s1 + 1];
      v.b = text.substr(s2 + 1);
      ok = v.op == '<' || v.op == '=' || v.op == '>';
    }
    EXPECT_TRUE(ok) << file.filename() << ":" << line << ": malformed vector '" << text << "'";
    if (ok) out.push_back(std::move(v));
  }
  return out;
}

// One string per line; blank lines and lines starting with '#' are skipped.
inline std::vector<std::string> read_version_list(const std::filesystem::path& file) {
  std::vector<std::string> out;
  std::ifstream in(file);
  EXPECT_TRUE(in.good()) << "cannot read " << file;
  std::string text;
  while (std::getline(in, text)) {
    if (text.empty() || text.starts_with("#")) continue;
    out.push_back(text);
  }
  return out;
}

inline char op_of(int c) {
  return c < 0 ? '<' : (c > 0 ? '>' : '=');
}
inline char inverse(char op) {
  return op == '<' ? '>' : (op == '>' ? '<' : '=');
}

struct VectorTally {
  int total = 0;
  int passed = 0;    // both directions ordered as the vector says
  int rejected = 0;  // a side is not a valid version: both directions are invalid_argument
  std::vector<std::string> rejected_strings;
  std::vector<std::string> failures;
};

// Checks compare(a, b) against OP and compare(b, a) against its inverse.
inline VectorTally run_vectors(const versions::VersionScheme& scheme,
                               const std::vector<VersionVector>& vectors) {
  VectorTally t;
  for (const VersionVector& v : vectors) {
    ++t.total;
    const auto ab = scheme.compare(v.a, v.b);
    const auto ba = scheme.compare(v.b, v.a);
    const bool valid = scheme.validate(v.a).has_value() && scheme.validate(v.b).has_value();
    std::string where = "line " + std::to_string(v.line) + ": " + v.a + " " + v.op + " " + v.b;
    if (!valid) {
      if (!ab && !ba && ab.error().code == Errc::invalid_argument &&
          ba.error().code == Errc::invalid_argument) {
        ++t.rejected;
        for (const std::string* s : {&v.a, &v.b})
          if (!scheme.validate(*s)) t.rejected_strings.push_back(*s);
      } else {
        t.failures.push_back(where + ": invalid version but compare did not fail");
      }
      continue;
    }
    if (!ab || !ba) {
      t.failures.push_back(where + ": unexpected error " +
                           (!ab ? ab.error().to_string() : ba.error().to_string()));
      continue;
    }
    if (op_of(*ab) == v.op && op_of(*ba) == inverse(v.op)) {
      ++t.passed;
    } else {
      t.failures.push_back(where + ": got " + op_of(*ab) + " and reversed " + op_of(*ba));
    }
  }
  return t;
}

inline void expect_no_failures(const VectorTally& t, const std::string& label) {
  ::testing::Test::RecordProperty(label + "_total", t.total);
  ::testing::Test::RecordProperty(label + "_passed", t.passed);
  ::testing::Test::RecordProperty(label + "_rejected", t.rejected);
  std::printf("[ vectors  ] %s: %d/%d passed, %d rejected as invalid, %zu failed\n", label.c_str(),
              t.passed, t.total, t.rejected, t.failures.size());
  for (std::size_t i = 0; i < t.failures.size() && i < 30; ++i)
    ADD_FAILURE() << label << " " << t.failures[i];
  EXPECT_TRUE(t.failures.empty()) << t.failures.size() << " vectors failed in " << label;
}

// The Composer, PEP 440 and semver tests read the vector files more loosely: every line that is
// not a comment is split at blanks into A, OP and B, whatever its shape.
struct LooseVector {
  std::string a, op, b;
  int line;
};

inline std::vector<LooseVector> read_loose_vectors(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<LooseVector> out;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line.rfind("# ", 0) == 0 || line.rfind("// ", 0) == 0) continue;
    std::istringstream fields(line);
    LooseVector v;
    fields >> v.a >> v.op >> v.b;
    v.line = n;
    out.push_back(v);
  }
  return out;
}

struct LooseCounts {
  int passed = 0, rejected = 0, diverged = 0, failed = 0;
};

// The order a scheme gives a vector where it knowingly differs from the file: -1, 0 or 1.
using Divergence = std::function<std::optional<int>(const LooseVector&)>;

// Checks compare(a, b) against OP and compare(b, a) against its inverse. A vector with a
// version the scheme rejects is counted apart (the differential tests show the reference
// implementation rejects the same strings), and one `diverge` answers for is counted as diverged.
inline LooseCounts run_loose_vectors(const versions::VersionScheme& s,
                                     const std::filesystem::path& file,
                                     const Divergence& diverge = {}) {
  LooseCounts c;
  for (const auto& v : read_loose_vectors(file)) {
    auto r = s.compare(v.a, v.b);
    auto back = s.compare(v.b, v.a);
    if (!r || !back) {
      ++c.rejected;
      continue;
    }
    int want = v.op == "<" ? -1 : (v.op == ">" ? 1 : 0);
    if (auto d = diverge ? diverge(v) : std::nullopt) {
      want = *d;
      ++c.diverged;
    }
    const int got = *r < 0 ? -1 : (*r > 0 ? 1 : 0), got_back = *back < 0 ? -1 : (*back > 0 ? 1 : 0);
    if (got == want && got_back == -want) {
      ++c.passed;
    } else {
      ++c.failed;
      ADD_FAILURE() << file.filename() << ":" << v.line << ": " << v.a << " " << v.op << " " << v.b
                    << " but got " << *r;
    }
  }
  return c;
}

}  // namespace patchparty::testing
