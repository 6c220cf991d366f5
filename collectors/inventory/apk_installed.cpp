#include "collectors/inventory/apk_installed.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "core/base/error_context.h"

namespace patchparty::inventory {

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool all_of_set(std::string_view s, const char* extra) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [extra](char c) {
    return is_alnum(c) || std::string_view(extra).find(c) != std::string_view::npos;
  });
}

// Names and versions later reach labels and command lines; apk itself never writes others.
bool valid_name(std::string_view s) {
  return is_alnum(s.front()) && all_of_set(s, "-+._");
}
bool valid_version(std::string_view s) {
  return all_of_set(s, "._-~+");
}
bool valid_arch(std::string_view s) {
  return all_of_set(s, "_-");
}

std::string at_line(std::size_t line, std::string_view what) {
  return "line " + std::to_string(line) + ": " + std::string(what);
}

struct Field {
  std::string_view value;
  std::size_t line = 0;  // 0: absent
};

struct Record {
  std::size_t first_line = 0;
  Field name, version, arch, origin;
};

Result<void> finish_record(const Record& r, std::string_view ecosystem, std::vector<Package>& out) {
  if (r.name.line == 0) return fail(Errc::data_loss, at_line(r.first_line, "record without P:"));
  if (!valid_name(r.name.value)) {
    return fail(Errc::data_loss,
                at_line(r.name.line, "invalid package name '" + std::string(r.name.value) + "'"));
  }
  if (r.version.line == 0) {
    return fail(Errc::data_loss,
                at_line(r.first_line, "package '" + std::string(r.name.value) + "' has no V:"));
  }
  if (!valid_version(r.version.value)) {
    return fail(Errc::data_loss,
                at_line(r.version.line, "invalid version '" + std::string(r.version.value) + "'"));
  }
  if (r.arch.line != 0 && !valid_arch(r.arch.value)) {
    return fail(Errc::data_loss,
                at_line(r.arch.line, "invalid architecture '" + std::string(r.arch.value) + "'"));
  }
  if (r.origin.line != 0 && !valid_name(r.origin.value)) {
    return fail(Errc::data_loss,
                at_line(r.origin.line, "invalid origin '" + std::string(r.origin.value) + "'"));
  }
  Package p;
  p.ecosystem = std::string(ecosystem);
  p.name = std::string(r.name.value);
  p.version = std::string(r.version.value);
  p.source_name = std::string(r.origin.line != 0 ? r.origin.value : r.name.value);
  p.source_version = p.version;
  p.arch = std::string(r.arch.value);
  p.origin = "apk";
  out.push_back(std::move(p));
  return {};
}

}  // namespace

Result<std::vector<Package>> parse_apk_installed(std::string_view text,
                                                 std::string_view ecosystem) {
  std::vector<Package> out;
  if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
    auto offset = static_cast<std::size_t>(static_cast<const char*>(nul) - text.data());
    auto line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
    return fail(Errc::data_loss, at_line(line, "NUL byte in a text file"));
  }
  Record record;
  bool in_record = false;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    ++line_no;
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos)
      return fail(Errc::data_loss, at_line(line_no, "no newline at end of file (truncated?)"));
    auto line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty()) {
      if (in_record) {
        PP_CHECK(finish_record(record, ecosystem, out));
        in_record = false;
      }
      continue;
    }
    if (line.size() < 2 || line[1] != ':' || !is_alnum(line[0]))
      return fail(Errc::data_loss, at_line(line_no, "expected 'K:value'"));
    if (!in_record) {
      record = Record{line_no, {}, {}, {}, {}};
      in_record = true;
    }
    Field* slot = nullptr;
    switch (line[0]) {
      case 'P':
        slot = &record.name;
        break;
      case 'V':
        slot = &record.version;
        break;
      case 'A':
        slot = &record.arch;
        break;
      case 'o':
        slot = &record.origin;
        break;
      default:
        continue;
    }
    if (slot->line != 0) {
      return fail(Errc::data_loss,
                  at_line(line_no, "duplicate " + std::string(line.substr(0, 2)) +
                                       " (first on line " + std::to_string(slot->line) + ")"));
    }
    slot->value = line.substr(2);
    slot->line = line_no;
  }
  if (in_record) PP_CHECK(finish_record(record, ecosystem, out));
  return out;
}

ApkInstalled::ApkInstalled(std::string ecosystem, ApkInstalledOptions options)
    : ecosystem_(std::move(ecosystem)), options_(std::move(options)) {}

Result<std::vector<Package>> ApkInstalled::scan() {
  auto file = under_root(options_.root, options_.installed_file);
  PP_TRY(text, read_bounded_file(file, options_.max_bytes));
  PP_TRY(packages, with_context(parse_apk_installed(text, ecosystem_), file.string()));
  for (auto& p : packages) p.location = file.string();
  return packages;
}

InventoryKind apk_inventory_kind() {
  InventoryKind k;
  k.name = "apk";
  k.plan = [](const config::InventoryConfig& inv,
              const std::string& ecosystem) -> std::optional<PlannedSource> {
    auto file = under_root(inv.root, inv.apk.path);
    if (!wanted(inv.apk.enabled, file)) return std::nullopt;
    ApkInstalledOptions o;
    o.root = inv.root;
    o.installed_file = inv.apk.path;
    o.max_bytes = static_cast<std::size_t>(inv.max_file_bytes);
    return PlannedSource{"apk", "", file.string(), std::make_unique<ApkInstalled>(ecosystem, o),
                         std::nullopt};
  };
  return k;
}

}  // namespace patchparty::inventory
