#include "collectors/inventory/go_binary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"
#include "tests/support/zip_writer.h"
#include "tests/unit/inventory/lockfile_fixtures.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;
using testing::expect_error;
using testing::read_text;
using testing::test_data;
using Pairs = testing::PairSet;

// Debian's Prometheus and Alertmanager: Go 1.19 binaries from the prometheus and
// prometheus-alertmanager packages (`dpkg -L prometheus prometheus-alertmanager | grep bin/`).
const char* const kDebianBinaries[] = {"/usr/bin/prometheus", "/usr/bin/promtool",
                                       "/usr/bin/prometheus-alertmanager", "/usr/bin/amtool"};

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, sep);) out.push_back(field);
  if (!line.empty() && line.back() == sep) out.emplace_back();
  return out;
}

// `go version -m FILE`, the go command's own reader, turned into packages by the rule the
// header documents: its first line gives stdlib, `mod` a versioned main module, `dep` a module
// and `=>` the module that replaced it (none for a directory).
Pairs go_version_oracle(const fs::path& file) {
  const fs::path dir = testing::temp_dir("go-version");
  auto r = testing::run({"/usr/bin/go", "version", "-m", file.string()}, dir, std::nullopt,
                        {{"GOFLAGS", ""}, {"GOCACHE", (dir / "cache").string()}});
  fs::remove_all(dir);
  EXPECT_EQ(r.code, 0) << r.err;
  Pairs out;
  std::istringstream lines(r.out);
  std::string line;
  std::getline(lines, line);
  const std::string toolchain = line.substr(line.rfind(": ") + 2);
  EXPECT_TRUE(toolchain.starts_with("go1.")) << line;
  out.emplace("stdlib", toolchain.substr(2, toolchain.find(' ') - 2));
  std::optional<std::pair<std::string, std::string>> dep;
  auto flush = [&] {
    if (dep) out.insert(*dep);
    dep.reset();
  };
  while (std::getline(lines, line)) {
    const auto f = split(line, '\t');
    if (f.size() < 2) continue;
    if (f[1] == "=>") {
      EXPECT_TRUE(dep.has_value()) << line;
      dep.reset();
      if (f[3].starts_with("v")) out.emplace(f[2], f[3].substr(1));
      continue;
    }
    flush();
    if ((f[1] == "dep" || f[1] == "mod") && f[3].starts_with("v")) {
      if (f[1] == "mod")
        out.emplace(f[2], f[3].substr(1));
      else
        dep.emplace(f[2], f[3].substr(1));
    }
  }
  flush();
  return out;
}

std::string read_binary(const fs::path& file) {
  return read_text(file);
}

TEST(GoBinary, MatchesGoVersionOnDebianPrometheusBinaries) {
  for (const char* binary : kDebianBinaries) {
    SCOPED_TRACE(binary);
    auto packages = GoBinary(binary, "monitoring").scan();
    ASSERT_OK(packages);
    EXPECT_EQ(testing::pair_set(*packages), go_version_oracle(binary));
    // Debian builds them in GOPATH mode: their module information names no modules, so the
    // toolchain is all there is to report.
    ASSERT_EQ(packages->size(), 1u);
    const Package& stdlib = packages->front();
    EXPECT_EQ(stdlib.name, "stdlib");
    EXPECT_EQ(stdlib.version, "1.19.8");
    EXPECT_EQ(stdlib.ecosystem, "Go");
    EXPECT_EQ(stdlib.origin, "gobinary");
    EXPECT_EQ(stdlib.project, "monitoring");
    EXPECT_EQ(stdlib.location, binary);
    EXPECT_EQ(stdlib.source_name, "stdlib");
    EXPECT_EQ(stdlib.source_version, "1.19.8");
  }
}

TEST(GoBinary, ReadsOnlyWhatItNeedsOfABigBinary) {
  ASSERT_GT(fs::file_size("/usr/bin/prometheus"), std::uintmax_t{40} << 20);
  // A few KiB of headers and build information, well under a 1 MiB read budget.
  auto packages = GoBinary("/usr/bin/prometheus", "p", 1u << 20).scan();
  ASSERT_OK(packages);
  EXPECT_EQ(packages->size(), 1u);
  expect_error(GoBinary("/usr/bin/prometheus", "p", 100).scan(), Errc::resource_exhausted,
               "needs more than the limit of 100 bytes");
}

// A program built here: a local module through a directory replace (a dep and a `=>` line with
// no version) and a module replaced by a fork served from a file:// module proxy, so the build
// needs no network.
class BuiltProgram : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() /
                        ("patchparty-go-binary-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    write(*dir_ / "lib/go.mod", "module example.com/lib\n\ngo 1.19\n");
    write(*dir_ / "lib/lib.go", "package lib\n\nfunc Hello() string { return \"hello\" }\n");
    const fs::path proxy = *dir_ / "proxy/example.com/fork/@v";
    fs::create_directories(proxy);
    const std::string fork_mod = "module example.com/fork\n\ngo 1.19\n";
    write(proxy / "v1.4.5.mod", fork_mod);
    write(proxy / "v1.4.5.info", R"({"Version":"v1.4.5","Time":"2023-01-01T00:00:00Z"})");
    write(proxy / "list", "v1.4.5\n");
    {
      testing::ZipWriter zip(proxy / "v1.4.5.zip");
      zip.add("example.com/fork@v1.4.5/go.mod", fork_mod);
      zip.add("example.com/fork@v1.4.5/fork.go",
              "package fork\n\nfunc Name() string { return \"fork\" }\n");
    }
    write(*dir_ / "app/go.mod",
          "module example.com/app\n\ngo 1.19\n\nrequire (\n\texample.com/lib v1.2.3\n"
          "\texample.com/upstream v1.0.0\n)\n\nreplace example.com/lib v1.2.3 => ../lib\n\n"
          "replace example.com/upstream => example.com/fork v1.4.5\n");
    write(*dir_ / "app/main.go",
          "package main\n\nimport "
          "(\n\t\"fmt\"\n\n\t\"example.com/lib\"\n\t\"example.com/upstream\"\n)"
          "\n\nfunc main() { fmt.Println(lib.Hello(), fork.Name()) }\n");
    build({}, *dir_ / "app.bin");
    build({"-ldflags=-s -w"}, *dir_ / "app-stripped.bin");
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }

  static void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
  }
  static void build(std::vector<std::string> flags, const fs::path& out) {
    // Go 1.19 has no -C: the shell enters the module's folder.
    std::vector<std::string> argv{"/bin/sh",
                                  "-c",
                                  "cd \"$0\" && exec /usr/bin/go build \"$@\"",
                                  (*dir_ / "app").string(),
                                  "-o",
                                  out.string()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back(".");
    auto r =
        testing::run(argv, *dir_, std::nullopt,
                     {{"GOFLAGS", "-mod=mod -modcacherw"},
                      {"GOPROXY", "file://" + (*dir_ / "proxy").string()},
                      {"GOSUMDB", "off"},
                      {"GONOSUMDB", "*"},
                      {"GOMODCACHE", (*dir_ / "modcache").string()},
                      {"GOCACHE", (fs::temp_directory_path() / "patchparty-go-cache").string()},
                      {"GOTOOLCHAIN", "local"}},
                     std::chrono::seconds(300));
    ASSERT_EQ(r.code, 0) << r.out << r.err;
  }
  static std::string go_version() {
    const fs::path dir = testing::temp_dir("go-env");
    auto r = testing::run({"/usr/bin/go", "env", "GOVERSION"}, dir);
    fs::remove_all(dir);
    return r.out.substr(2, r.out.find('\n') - 2);
  }

  static fs::path* dir_;
};
fs::path* BuiltProgram::dir_ = nullptr;

TEST_F(BuiltProgram, ReportsTheReplacementAndTheToolchain) {
  for (const char* name : {"app.bin", "app-stripped.bin"}) {
    SCOPED_TRACE(name);
    const fs::path binary = *dir_ / name;
    auto packages = GoBinary(binary, "app").scan();
    ASSERT_OK(packages);
    EXPECT_EQ(testing::pair_set(*packages), go_version_oracle(binary));
    // The main module is "(devel)", example.com/lib is a directory: neither is a package;
    // example.com/upstream was built from its replacement.
    EXPECT_EQ(testing::pair_set(*packages),
              (Pairs{{"stdlib", go_version()}, {"example.com/fork", "1.4.5"}}));
  }
}

TEST_F(BuiltProgram, FindsTheBuildInformationWithoutSectionHeaders) {
  std::string bytes = read_binary(*dir_ / "app-stripped.bin");
  // As sstrip leaves it: e_shoff, e_shnum and e_shstrndx zeroed; the data segment is searched.
  for (std::size_t i = 0x28; i < 0x30; ++i) bytes[i] = 0;
  for (std::size_t i = 0x3c; i < 0x40; ++i) bytes[i] = 0;
  auto packages = parse_go_binary(bytes, "app", "sstripped");
  ASSERT_OK(packages);
  EXPECT_EQ(testing::pair_set(*packages),
            (Pairs{{"stdlib", go_version()}, {"example.com/fork", "1.4.5"}}));
}

TEST_F(BuiltProgram, TruncatedBinaryIsDataLossUnlessTheBuildInformationSurvives) {
  const std::string bytes = read_binary(*dir_ / "app.bin");
  auto full = parse_go_binary(bytes, "p");
  ASSERT_OK(full);
  const auto magic = bytes.find("\xff Go buildinf:");
  ASSERT_NE(magic, std::string::npos);
  std::size_t lost = 0;
  for (std::size_t cut = 64; cut < bytes.size(); cut += bytes.size() / 211) {
    SCOPED_TRACE(cut);
    auto r = parse_go_binary(std::string_view(bytes).substr(0, cut), "p");
    if (cut <= magic + 32) {
      EXPECT_FALSE(r.has_value());
    }
    if (r) {
      EXPECT_EQ(testing::pair_set(*r), testing::pair_set(*full));
    } else {
      EXPECT_EQ(r.error().code, Errc::data_loss) << r.error().to_string();
      ++lost;
    }
  }
  EXPECT_GT(lost, 100u);
  EXPECT_OK(parse_go_binary(std::string_view(bytes).substr(0, bytes.size() - 1), "p"));
}

TEST_F(BuiltProgram, ImplausibleInlineLengthIsDataLoss) {
  std::string bytes = read_binary(*dir_ / "app.bin");
  const auto magic = bytes.find("\xff Go buildinf:");
  ASSERT_NE(magic, std::string::npos);
  ASSERT_TRUE(bytes[magic + 15] & 2);  // Go 1.18+: inline strings
  bytes.replace(magic + 32, 5, "\xff\xff\xff\xff\x0f");
  expect_error(parse_go_binary(bytes, "p", "app"), Errc::data_loss,
               "app: Go version: implausible length");
}

// Go up to 1.17: the header points at Go string headers. Built by hand, since the installed Go
// only writes the inline format: one writable PT_LOAD segment and no sections.
std::string pointer_format_elf(bool is64, bool big_endian, const std::string& version,
                               const std::string& modinfo, std::uint64_t version_ptr_override = 0) {
  const std::size_t ptr = is64 ? 8 : 4;
  const std::uint64_t vaddr = 0x10000;
  const std::size_t data_offset = 0x100;
  auto put = [&](std::string& b, std::size_t at, std::uint64_t v, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i)
      b[at + (big_endian ? width - 1 - i : i)] = static_cast<char>((v >> (8 * i)) & 0xff);
  };
  std::string data(32 + 4 * ptr, '\0');
  data.replace(0, 14, "\xff Go buildinf:");
  data[14] = static_cast<char>(ptr);
  data[15] = big_endian ? 1 : 0;
  const std::uint64_t version_header = vaddr + 32;
  const std::uint64_t modinfo_header = vaddr + 32 + 2 * ptr;
  put(data, 16, version_ptr_override ? version_ptr_override : version_header, ptr);
  put(data, 16 + ptr, modinfo_header, ptr);
  put(data, 32, vaddr + data.size(), ptr);
  put(data, 32 + ptr, version.size(), ptr);
  put(data, 32 + 2 * ptr, vaddr + data.size() + version.size(), ptr);
  put(data, 32 + 3 * ptr, modinfo.size(), ptr);
  data += version + modinfo;

  std::string elf(data_offset, '\0');
  elf.replace(0, 4,
              "\x7f"
              "ELF");
  elf[4] = is64 ? 2 : 1;
  elf[5] = big_endian ? 2 : 1;
  elf[6] = 1;
  const std::size_t ehsize = is64 ? 64 : 52;
  put(elf, is64 ? 0x20 : 0x1c, ehsize, ptr);        // e_phoff
  put(elf, is64 ? 0x36 : 0x2a, is64 ? 56 : 32, 2);  // e_phentsize
  put(elf, is64 ? 0x38 : 0x2c, 1, 2);               // e_phnum
  const std::size_t ph = ehsize;
  put(elf, ph, 1, 4);  // PT_LOAD
  if (is64) {
    put(elf, ph + 4, 6, 4);  // PF_R | PF_W
    put(elf, ph + 8, data_offset, 8);
    put(elf, ph + 16, vaddr, 8);
    put(elf, ph + 32, data.size(), 8);
    put(elf, ph + 40, data.size(), 8);
  } else {
    put(elf, ph + 4, data_offset, 4);
    put(elf, ph + 8, vaddr, 4);
    put(elf, ph + 16, data.size(), 4);
    put(elf, ph + 20, data.size(), 4);
    put(elf, ph + 24, 6, 4);
  }
  return elf + data;
}

const std::string kStart("0w\xaf\x0c\x92t\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6", 16);
const std::string kEnd("\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82\x42\x10\x41\x16\xd8\xf2", 16);
const std::string kModinfo =
    "path\texample.com/cmd/tool\nmod\texample.com/cmd\tv1.5.0\th1:abc=\n"
    "dep\tgolang.org/x/text\tv0.3.7\th1:x=\ndep\texample.com/a\tv1.0.0\n"
    "=>\texample.com/b\tv1.1.0\th1:y=\ndep\texample.com/local\tv0.1.0\n=>\t../local\t\t\n"
    "build\t-compiler=gc\n";

TEST(GoBinary, ReadsThePointerFormatOfOldToolchains) {
  const Pairs expected{{"stdlib", "1.16.15"},
                       {"example.com/cmd", "1.5.0"},
                       {"golang.org/x/text", "0.3.7"},
                       {"example.com/b", "1.1.0"}};
  for (const auto& [is64, big_endian] : {std::pair{true, false}, std::pair{false, true},
                                         std::pair{true, true}, std::pair{false, false}}) {
    SCOPED_TRACE(std::to_string(is64) + std::to_string(big_endian));
    auto packages = parse_go_binary(
        pointer_format_elf(is64, big_endian, "go1.16.15", kStart + kModinfo + kEnd), "p", "old");
    ASSERT_OK(packages);
    EXPECT_EQ(testing::pair_set(*packages), expected);
  }
}

TEST(GoBinary, ModuleInformationWithoutSentinelsIsEmpty) {
  auto packages = parse_go_binary(pointer_format_elf(true, false, "go1.17.2", kModinfo), "p");
  ASSERT_OK(packages);
  EXPECT_EQ(testing::pair_set(*packages), (Pairs{{"stdlib", "1.17.2"}}));
}

TEST(GoBinary, ToolchainVersionRules) {
  auto packages = parse_go_binary(
      pointer_format_elf(true, false, "go1.21.3 X:boringcrypto", kStart + kEnd), "p");
  ASSERT_OK(packages);
  EXPECT_EQ(testing::pair_set(*packages), (Pairs{{"stdlib", "1.21.3"}}));
  // Spelt as Go's vulnerability database spells stdlib versions.
  for (auto [toolchain, version] : {std::pair{"go1.20", "1.20.0"},
                                    {"go1.21rc2", "1.21.0-rc.2"},
                                    {"go1.18beta1", "1.18.0-beta.1"}}) {
    packages = parse_go_binary(pointer_format_elf(true, false, toolchain, kStart + kEnd), "p");
    ASSERT_OK(packages);
    EXPECT_EQ(testing::pair_set(*packages), (Pairs{{"stdlib", version}})) << toolchain;
  }
  // A development toolchain has no release an advisory could name.
  packages = parse_go_binary(
      pointer_format_elf(true, false, "devel go1.22-abcdef Tue Jan 1", kStart + kEnd), "p");
  ASSERT_OK(packages);
  EXPECT_TRUE(packages->empty());
}

TEST(GoBinary, PointerOutsideTheSegmentsIsDataLoss) {
  expect_error(
      parse_go_binary(pointer_format_elf(true, false, "go1.16.15", kStart + kEnd, 0xdead0000), "p",
                      "bad"),
      Errc::data_loss, "bad: Go version header (16 bytes at address 0xdead0000)");
}

TEST(GoBinary, MalformedModuleLinesAreDataLoss) {
  const std::pair<const char*, const char*> cases[] = {
      {"dep\tonly-path\n", "line 1: not \"dep path version\""},
      {"mod\ta b\tv1.0.0\n", "not \"mod path version\""},
      {"path\tx\n=>\tb\tv1.0.0\th1:z=\n", "line 2: \"=>\" without a dep line before it"},
      {"dep\ta\tv1.0.0\n=>\tb\n", "not \"=> path version sum\""},
  };
  for (const auto& [modinfo, message] : cases) {
    SCOPED_TRACE(modinfo);
    expect_error(
        parse_go_binary(pointer_format_elf(true, false, "go1.16.15", kStart + modinfo + kEnd), "p"),
        Errc::data_loss, message);
  }
}

TEST(GoBinary, NotAGoExecutableIsFailedPrecondition) {
  const fs::path text = test_data("lockfiles/osv-detector-fixtures/go/not-go-mod.txt");
  expect_error(GoBinary(text, "p").scan(), Errc::failed_precondition, "not an ELF executable");
  expect_error(parse_go_binary("", "p", "empty"), Errc::failed_precondition, "empty: not an ELF");
  // A C program: an ELF file without Go's build information.
  expect_error(GoBinary("/usr/bin/true", "p").scan(), Errc::failed_precondition,
               "no Go build information");
}

TEST(GoBinary, KindOpensConfiguredBinaries) {
  const InventoryKind kind = gobinary_inventory_kind();
  EXPECT_EQ(kind.name, "gobinary");
  EXPECT_TRUE(kind.lockfile_names.empty());
  EXPECT_EQ(kind.lockfile_ecosystem, "Go");
  auto source = kind.open_lockfile("/usr/bin/amtool", "p", kDefaultMaxFileBytes);
  EXPECT_EQ(source->name(), "gobinary");
  auto packages = source->scan();
  ASSERT_OK(packages);
  EXPECT_EQ(packages->size(), 1u);
}

TEST(GoBinary, MissingFileIsNotFound) {
  EXPECT_ERRC(GoBinary("/nonexistent/app", "p").scan(), Errc::not_found);
}

}  // namespace
}  // namespace patchparty::inventory
