// A zip archive written member by member with libarchive, laid out as the feeds' downloads are
// (OSV's all.zip, GitHub's repository archives). Complete once the writer is destroyed.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace patchparty::testing {

class ZipWriter {
 public:
  explicit ZipWriter(const std::filesystem::path& file) : archive_(archive_write_new()) {
    archive_write_set_format_zip(archive_);
    archive_write_open_filename(archive_, file.c_str());
  }
  ~ZipWriter() {
    archive_write_close(archive_);
    archive_write_free(archive_);
  }
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // A regular file, mode 0644.
  void add(const std::string& name, std::string_view body) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, name.c_str());
    archive_entry_set_size(entry, static_cast<la_int64_t>(body.size()));
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_write_header(archive_, entry);
    archive_write_data(archive_, body.data(), body.size());
    archive_entry_free(entry);
  }

 private:
  archive* archive_;
};

}  // namespace patchparty::testing
