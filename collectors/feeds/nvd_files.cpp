#include "collectors/feeds/nvd_files.h"

#include <archive.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <string>
#include <system_error>

#include "core/base/bounded_file.h"
#include "core/base/c_handles.h"

namespace patchparty::feeds {

namespace {

using ArchivePtr = std::unique_ptr<archive, CFree<archive_read_free>>;

bool is_gzip(const std::filesystem::path& file) {
  File f(std::fopen(file.c_str(), "rbe"));
  unsigned char magic[2] = {0, 0};
  return f && std::fread(magic, 1, 2, f.get()) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

Result<std::string> gunzip(const std::filesystem::path& file, std::uint64_t max_bytes) {
  ArchivePtr a(archive_read_new());
  if (!a) return fail(Errc::resource_exhausted, file.string() + ": cannot allocate a gzip reader");
  // The raw format hands over the decompressed stream as one entry, without guessing a format.
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_raw(a.get());
  auto error = [&](std::string_view what) {
    const char* msg = archive_error_string(a.get());
    return fail(Errc::data_loss,
                file.string() + ": " + std::string(what) + ": " + (msg ? msg : "unknown"));
  };
  if (archive_read_open_filename(a.get(), file.c_str(), 1 << 16) != ARCHIVE_OK)
    return error("cannot open gzip stream");
  archive_entry* entry = nullptr;
  if (archive_read_next_header(a.get(), &entry) != ARCHIVE_OK) return error("corrupt gzip");
  std::string out;
  std::array<char, 1 << 16> buf;
  for (;;) {
    const la_ssize_t n = archive_read_data(a.get(), buf.data(), buf.size());
    if (n < 0) return error("corrupt gzip");
    if (n == 0) break;
    if (out.size() + static_cast<std::uint64_t>(n) > max_bytes)
      return fail(
          Errc::resource_exhausted,
          file.string() + ": more than " + std::to_string(max_bytes) + " bytes once decompressed");
    out.append(buf.data(), static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace

Result<std::vector<std::filesystem::path>> nvd_files_in(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.ends_with(".json") && !name.ends_with(".json.gz")) continue;
    if (it->is_regular_file(ec)) out.push_back(it->path());
  }
  if (ec) return tl::make_unexpected(errno_error(ec.value(), folder.string()));
  if (out.empty())
    return fail(Errc::not_found, folder.string() + ": no NVD JSON files (*.json, *.json.gz)");
  std::sort(out.begin(), out.end());
  return out;
}

Result<NvdPage> read_nvd_file(const std::filesystem::path& file, std::uint64_t max_bytes) {
  max_bytes = std::min<std::uint64_t>(max_bytes, kMaxNvdPageBytes);
  std::string text;
  if (is_gzip(file)) {
    PP_TRY(t, gunzip(file, max_bytes));
    text = std::move(t);
  } else {
    PP_TRY(t, read_bounded_file(file, static_cast<std::size_t>(max_bytes)));
    text = std::move(t);
  }
  return parse_nvd_page(text, file.string());
}

}  // namespace patchparty::feeds
