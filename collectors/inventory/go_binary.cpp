#include "collectors/inventory/go_binary.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <utility>

namespace patchparty::inventory {

namespace {

constexpr std::string_view kMagic = "\xff Go buildinf:";
constexpr std::size_t kHeaderSize = 32;
constexpr std::size_t kHeaderAlign = 16;
constexpr std::uint64_t kSearchBytes = 64 * 1024;  // as debug/buildinfo reads
constexpr std::uint64_t kMaxVersionBytes = 1024;
constexpr std::uint64_t kMaxModinfoBytes = 16u << 20;
constexpr std::uint64_t kMaxNameTableBytes = 1u << 20;
constexpr std::size_t kSentinelBytes = 16;

constexpr std::uint32_t kPtLoad = 1;
constexpr std::uint32_t kPfX = 1;
constexpr std::uint32_t kPfW = 2;

// Random access to the executable's bytes: from memory, or from the file by pread.
class Bytes {
 public:
  virtual ~Bytes() = default;
  virtual std::uint64_t size() const = 0;
  // Exactly `length` bytes at `offset`; data_loss past the end.
  [[nodiscard]] virtual Result<std::string> read(std::uint64_t offset, std::uint64_t length) = 0;
};

class MemoryBytes final : public Bytes {
 public:
  MemoryBytes(std::string_view bytes, const std::string& label) : bytes_(bytes), label_(label) {}
  std::uint64_t size() const override { return bytes_.size(); }
  Result<std::string> read(std::uint64_t offset, std::uint64_t length) override {
    if (offset > bytes_.size() || length > bytes_.size() - offset)
      return fail(Errc::data_loss, label_ + ": truncated: " + std::to_string(length) +
                                       " bytes at offset " + std::to_string(offset) +
                                       " are past the end");
    return std::string(bytes_.substr(offset, length));
  }

 private:
  std::string_view bytes_;
  const std::string& label_;
};

class FileBytes final : public Bytes {
 public:
  FileBytes(int fd, std::uint64_t size, std::size_t budget, const std::string& label)
      : fd_(fd), size_(size), limit_(budget), budget_(budget), label_(label) {}
  std::uint64_t size() const override { return size_; }
  Result<std::string> read(std::uint64_t offset, std::uint64_t length) override {
    if (offset > size_ || length > size_ - offset)
      return fail(Errc::data_loss, label_ + ": truncated: " + std::to_string(length) +
                                       " bytes at offset " + std::to_string(offset) +
                                       " are past the end");
    if (length > budget_)
      return fail(Errc::resource_exhausted,
                  label_ + ": reading the build information needs more than the limit of " +
                      std::to_string(limit_) + " bytes");
    budget_ -= static_cast<std::size_t>(length);
    std::string out(static_cast<std::size_t>(length), '\0');
    std::size_t got = 0;
    while (got < out.size()) {
      const ssize_t n =
          ::pread(fd_, out.data() + got, out.size() - got, static_cast<off_t>(offset + got));
      if (n < 0) {
        if (errno == EINTR) continue;
        return tl::make_unexpected(errno_error(errno, label_));
      }
      if (n == 0) return fail(Errc::data_loss, label_ + ": file shrank while being read");
      got += static_cast<std::size_t>(n);
    }
    return out;
  }

 private:
  int fd_;
  std::uint64_t size_;
  std::size_t limit_;
  std::size_t budget_;
  const std::string& label_;
};

struct Segment {
  std::uint32_t type, flags;
  std::uint64_t offset, vaddr, filesz;
};

struct Elf {
  bool is64 = false;
  bool big_endian = false;
  std::vector<Segment> segments;
  std::optional<std::uint64_t> buildinfo_addr;  // the .go.buildinfo section's address
};

std::uint64_t decode(std::string_view b, std::size_t at, std::size_t width, bool big_endian) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const auto byte = static_cast<unsigned char>(b[at + (big_endian ? i : width - 1 - i)]);
    v = (v << 8) | byte;
  }
  return v;
}

Result<Elf> read_elf(Bytes& in, const std::string& label) {
  if (in.size() < 16)
    return fail(Errc::failed_precondition, label + ": not an ELF executable (too short)");
  PP_TRY(ident, in.read(0, 16));
  if (!ident.starts_with("\x7f"
                         "ELF"))
    return fail(Errc::failed_precondition, label + ": not an ELF executable");
  Elf elf;
  if (ident[4] != 1 && ident[4] != 2)
    return fail(Errc::data_loss, label + ": unknown ELF class " + std::to_string(ident[4]));
  if (ident[5] != 1 && ident[5] != 2)
    return fail(Errc::data_loss, label + ": unknown ELF byte order " + std::to_string(ident[5]));
  elf.is64 = ident[4] == 2;
  elf.big_endian = ident[5] == 2;
  const bool be = elf.big_endian;
  const std::size_t word = elf.is64 ? 8 : 4;
  PP_TRY(h, in.read(0, elf.is64 ? 64 : 52));
  const std::uint64_t phoff = decode(h, elf.is64 ? 0x20 : 0x1c, word, be);
  const std::uint64_t shoff = decode(h, elf.is64 ? 0x28 : 0x20, word, be);
  const std::size_t base = elf.is64 ? 0x36 : 0x2a;
  const std::uint64_t phentsize = decode(h, base, 2, be);
  const std::uint64_t phnum = decode(h, base + 2, 2, be);
  const std::uint64_t shentsize = decode(h, base + 4, 2, be);
  const std::uint64_t shnum = decode(h, base + 6, 2, be);
  const std::uint64_t shstrndx = decode(h, base + 8, 2, be);

  if (phnum > 0) {
    if (phentsize < (elf.is64 ? 56u : 32u))
      return fail(Errc::data_loss, label + ": program header entries too small");
    PP_TRY(table, in.read(phoff, phentsize * phnum));
    for (std::uint64_t i = 0; i < phnum; ++i) {
      const std::string_view e = std::string_view(table).substr(i * phentsize, phentsize);
      Segment s{};
      s.type = static_cast<std::uint32_t>(decode(e, 0, 4, be));
      if (elf.is64) {
        s.flags = static_cast<std::uint32_t>(decode(e, 4, 4, be));
        s.offset = decode(e, 8, 8, be);
        s.vaddr = decode(e, 16, 8, be);
        s.filesz = decode(e, 32, 8, be);
      } else {
        s.offset = decode(e, 4, 4, be);
        s.vaddr = decode(e, 8, 4, be);
        s.filesz = decode(e, 16, 4, be);
        s.flags = static_cast<std::uint32_t>(decode(e, 24, 4, be));
      }
      elf.segments.push_back(s);
    }
  }

  // Sections are optional (a binary can lose them all to sstrip): without them the data
  // segment is searched instead.
  if (shnum > 0 && shoff != 0 && shstrndx < shnum) {
    if (shentsize < (elf.is64 ? 64u : 40u))
      return fail(Errc::data_loss, label + ": section header entries too small");
    PP_TRY(table, in.read(shoff, shentsize * shnum));
    auto field = [&](std::uint64_t index, std::size_t at32, std::size_t at64, bool wide) {
      return decode(table, index * shentsize + (elf.is64 ? at64 : at32), wide && elf.is64 ? 8 : 4,
                    be);
    };
    const std::uint64_t names_offset = field(shstrndx, 16, 24, true);
    const std::uint64_t names_size = field(shstrndx, 20, 32, true);
    if (names_size > kMaxNameTableBytes)
      return fail(Errc::data_loss,
                  label + ": section name table of " + std::to_string(names_size) + " bytes");
    PP_TRY(names, in.read(names_offset, names_size));
    static constexpr std::string_view kSection = ".go.buildinfo";
    for (std::uint64_t i = 0; i < shnum; ++i) {
      const std::uint64_t name = field(i, 0, 0, false);
      if (name >= names.size()) continue;
      const std::string_view rest = std::string_view(names).substr(name);
      if (rest.substr(0, rest.find('\0')) == kSection) {
        elf.buildinfo_addr = field(i, 12, 16, true);
        break;
      }
    }
  }
  return elf;
}

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// Up to `length` bytes at virtual address `addr`, from the first segment holding it (as
// debug/buildinfo's ReadData): fewer when the segment ends first, nullopt when none holds it.
Result<std::optional<std::string>> read_at_address(Bytes& in, const Elf& elf, std::uint64_t addr,
                                                   std::uint64_t length) {
  for (const Segment& s : elf.segments) {
    if (s.filesz == 0 || addr < s.vaddr || addr - s.vaddr >= s.filesz) continue;
    const std::uint64_t n = std::min(length, s.filesz - (addr - s.vaddr));
    if (s.offset > UINT64_MAX - (addr - s.vaddr))
      return fail(Errc::data_loss, "segment at file offset " + hex(s.offset) + " overflows");
    PP_TRY(data, in.read(s.offset + (addr - s.vaddr), n));
    return std::optional<std::string>(std::move(data));
  }
  return std::optional<std::string>{};
}

// Exactly `length` bytes at `addr`, or data_loss naming `what`.
Result<std::string> read_exact(Bytes& in, const Elf& elf, std::uint64_t addr, std::uint64_t length,
                               const std::string& what) {
  PP_TRY(data, read_at_address(in, elf, addr, length));
  if (!data || data->size() != length)
    return fail(Errc::data_loss, what + " (" + std::to_string(length) + " bytes at address " +
                                     hex(addr) + ") is outside the file's segments");
  return std::move(*data);
}

// Go 1.18+: a uvarint length, then the bytes. `addr` moves past them.
Result<std::string> inline_string(Bytes& in, const Elf& elf, std::uint64_t& addr, std::uint64_t max,
                                  const std::string& what) {
  PP_TRY(head, read_at_address(in, elf, addr, 10));
  if (!head) return fail(Errc::data_loss, what + " is outside the file's segments");
  std::uint64_t length = 0;
  std::size_t n = 0;
  for (int shift = 0;; shift += 7, ++n) {
    if (n >= head->size() || shift > 63)
      return fail(Errc::data_loss, what + ": length is not a valid varint");
    const auto byte = static_cast<unsigned char>((*head)[n]);
    length |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      ++n;
      break;
    }
  }
  if (length > max)
    return fail(Errc::data_loss, what + ": implausible length " + std::to_string(length));
  PP_TRY(text, read_exact(in, elf, addr + n, length, what));
  addr += n + length;
  return text;
}

// Go up to 1.17: a pointer to a string header {data, length}.
Result<std::string> pointed_string(Bytes& in, const Elf& elf, std::uint64_t addr,
                                   std::size_t ptr_size, bool big_endian, std::uint64_t max,
                                   const std::string& what) {
  PP_TRY(header, read_exact(in, elf, addr, 2 * ptr_size, what + " header"));
  const std::uint64_t data = decode(header, 0, ptr_size, big_endian);
  const std::uint64_t length = decode(header, ptr_size, ptr_size, big_endian);
  if (length > max)
    return fail(Errc::data_loss, what + ": implausible length " + std::to_string(length));
  return read_exact(in, elf, data, length, what);
}

struct BuildInfo {
  std::string go_version;
  std::string modinfo;
};

Result<BuildInfo> read_build_info(Bytes& in, const std::string& label) {
  PP_TRY(elf, read_elf(in, label));
  std::optional<std::uint64_t> start = elf.buildinfo_addr;
  if (!start)
    for (const Segment& s : elf.segments)
      if (s.type == kPtLoad && (s.flags & (kPfX | kPfW)) == kPfW) {
        start = s.vaddr;
        break;
      }
  if (!start)
    return fail(Errc::failed_precondition,
                label + ": no .go.buildinfo section or data segment: not a Go executable");
  PP_TRY(data, read_at_address(in, elf, *start, kSearchBytes));
  std::optional<std::size_t> found;
  if (data)
    for (std::size_t i = 0; i + kHeaderSize <= data->size(); i += kHeaderAlign)
      if (std::string_view(*data).substr(i).starts_with(kMagic)) {
        found = i;
        break;
      }
  if (!found)
    return fail(Errc::failed_precondition,
                label + ": no Go build information (\"\\xff Go buildinf:\"): not a Go executable");
  const std::string_view header = std::string_view(*data).substr(*found, kHeaderSize);
  const auto ptr_size = static_cast<std::size_t>(static_cast<unsigned char>(header[14]));
  const auto flags = static_cast<unsigned char>(header[15]);
  BuildInfo info;
  if (flags & 2) {
    std::uint64_t addr = *start + *found + kHeaderSize;
    PP_TRY(version, inline_string(in, elf, addr, kMaxVersionBytes, label + ": Go version"));
    PP_TRY(modinfo, inline_string(in, elf, addr, kMaxModinfoBytes, label + ": module information"));
    info.go_version = std::move(version);
    info.modinfo = std::move(modinfo);
  } else {
    if (ptr_size != 4 && ptr_size != 8)
      return fail(Errc::data_loss,
                  label + ": build information pointer size " + std::to_string(ptr_size));
    const bool be = flags & 1;
    const std::uint64_t version_ptr = decode(header, 16, ptr_size, be);
    const std::uint64_t modinfo_ptr = decode(header, 16 + ptr_size, ptr_size, be);
    PP_TRY(version, pointed_string(in, elf, version_ptr, ptr_size, be, kMaxVersionBytes,
                                   label + ": Go version"));
    PP_TRY(modinfo, pointed_string(in, elf, modinfo_ptr, ptr_size, be, kMaxModinfoBytes,
                                   label + ": module information"));
    info.go_version = std::move(version);
    info.modinfo = std::move(modinfo);
  }
  if (info.go_version.empty())
    return fail(Errc::failed_precondition,
                label + ": empty Go version in the build information: not a Go executable");
  const std::string& m = info.modinfo;
  if (m.size() >= 2 * kSentinelBytes + 1 && m[m.size() - kSentinelBytes - 1] == '\n')
    info.modinfo = m.substr(kSentinelBytes, m.size() - 2 * kSentinelBytes);
  else
    info.modinfo.clear();
  return info;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  for (std::size_t pos = 0;;) {
    const auto tab = line.find('\t', pos);
    out.push_back(line.substr(pos, tab == std::string_view::npos ? tab : tab - pos));
    if (tab == std::string_view::npos) break;
    pos = tab + 1;
  }
  return out;
}

Package make_package(std::string name, std::string version, std::string_view project,
                     std::string_view label) {
  Package p;
  p.ecosystem = "Go";
  p.name = std::move(name);
  p.version = std::move(version);
  p.source_name = p.name;
  p.source_version = p.version;
  p.origin = "gobinary";
  p.project = std::string(project);
  p.location = std::string(label);
  return p;
}

// The toolchain's version as Go's vulnerability database spells stdlib versions: a release
// without a patch number gains ".0" ("1.20" -> "1.20.0"), a pre-release becomes a SemVer one
// ("1.21rc2" -> "1.21.0-rc.2", "1.18beta1" -> "1.18.0-beta.1").
std::string toolchain_semver(std::string_view v) {
  std::string_view pre;
  std::string_view kind;
  for (std::string_view k : {"rc", "beta", "alpha"}) {
    if (auto at = v.find(k); at != std::string_view::npos) {
      pre = v.substr(at + k.size());
      kind = k;
      v = v.substr(0, at);
      break;
    }
  }
  std::string out(v);
  if (std::count(out.begin(), out.end(), '.') == 1) out += ".0";
  if (!kind.empty()) out += "-" + std::string(kind) + "." + std::string(pre);
  return out;
}

// "v1.2.3" -> "1.2.3"; nullopt for "(devel)" and other non-versions.
std::optional<std::string> module_version(std::string_view v) {
  if (v.size() < 2 || v[0] != 'v') return std::nullopt;
  return std::string(v.substr(1));
}

Result<std::vector<Package>> packages_of(const BuildInfo& info, std::string_view project,
                                         const std::string& label) {
  std::vector<Package> out;
  std::string_view toolchain = info.go_version;
  toolchain = toolchain.substr(0, toolchain.find(' '));
  if (toolchain.size() > 2 && toolchain.starts_with("go") && toolchain[2] >= '0' &&
      toolchain[2] <= '9') {
    if (!is_token(toolchain))
      return fail(Errc::data_loss, label + ": Go version is not printable ASCII");
    out.push_back(make_package("stdlib", toolchain_semver(toolchain.substr(2)), project, label));
  }

  // A dep's index in `out` while a "=>" line may still follow it; kNone after a skipped dep.
  // (A plain index: GCC 12 misreads std::optional<std::size_t> here as maybe-uninitialized.)
  constexpr std::size_t kNone = SIZE_MAX;
  std::size_t last_dep = kNone;
  bool dep_pending = false;  // the previous line was a dep line
  std::string_view text = info.modinfo;
  std::size_t number = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    const std::string where = label + ": module information line " + std::to_string(number);
    const auto f = fields(line);
    const bool after_dep = dep_pending;
    dep_pending = false;
    if (f[0] == "mod" || f[0] == "dep") {
      if (f.size() < 3 || f.size() > 4 || !is_token(f[1]) || !is_token(f[2]))
        return fail(Errc::data_loss, where + ": not \"" + std::string(f[0]) + " path version\"");
      const auto version = module_version(f[2]);
      last_dep = kNone;
      if (f[0] == "dep") dep_pending = true;
      if (!version) continue;
      if (f[0] == "dep") last_dep = out.size();
      out.push_back(make_package(std::string(f[1]), *version, project, label));
    } else if (f[0] == "=>") {
      if (!after_dep) return fail(Errc::data_loss, where + ": \"=>\" without a dep line before it");
      if (f.size() < 3 || f.size() > 4 || !is_token(f[1]) || (!f[2].empty() && !is_token(f[2])))
        return fail(Errc::data_loss, where + ": not \"=> path version sum\"");
      const auto version = module_version(f[2]);
      if (!version) {
        // Replaced by a local directory: built from disk, no registry version.
        if (last_dep != kNone) out.erase(out.begin() + static_cast<std::ptrdiff_t>(last_dep));
      } else if (last_dep != kNone) {
        out[last_dep] = make_package(std::string(f[1]), *version, project, label);
      } else {
        out.push_back(make_package(std::string(f[1]), *version, project, label));
      }
      last_dep = kNone;
    } else {
      last_dep = kNone;
    }
  }
  return out;
}

}  // namespace

Result<std::vector<Package>> parse_go_binary(std::string_view bytes, std::string_view project,
                                             std::string_view label_view) {
  const std::string label(label_view);
  MemoryBytes in(bytes, label);
  PP_TRY(info, read_build_info(in, label));
  return packages_of(info, project, label);
}

GoBinary::GoBinary(std::filesystem::path binary, std::string project, std::size_t max_bytes)
    : binary_(std::move(binary)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> GoBinary::scan() {
  const std::string label = binary_.string();
  const int fd = ::open(binary_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return tl::make_unexpected(errno_error(errno, label));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return tl::make_unexpected(errno_error(errno, label));
  if (!S_ISREG(st.st_mode)) return fail(Errc::invalid_argument, label + ": not a regular file");
  FileBytes in(fd, static_cast<std::uint64_t>(st.st_size), max_bytes_, label);
  PP_TRY(info, read_build_info(in, label));
  return packages_of(info, project_, label);
}

InventoryKind gobinary_inventory_kind() {
  InventoryKind k;
  k.name = "gobinary";
  k.lockfile_ecosystem = "Go";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<GoBinary>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
