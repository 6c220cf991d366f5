#include "collectors/feeds/osv_source.h"

#include <archive.h>
#include <archive_entry.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <memory>

#include "collectors/feeds/osv_bucket_feed.h"
#include "collectors/feeds/osv_change_fetch.h"
#include "collectors/feeds/zip_signature.h"
#include "core/base/bounded_file.h"
#include "core/base/rfc3339_time.h"
#include "core/model/ecosystem_scope.h"
#include "core/record/osv_record.h"

namespace patchparty::feeds {

namespace {

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_read_free)>;

bool wanted(const Advisory& a, const std::vector<std::string>& only) {
  if (only.empty()) return true;
  for (const auto& af : a.affected) {
    for (const auto& o : only) {
      if (o == ecosystem_base(af.ecosystem) || ecosystem_applies(af.ecosystem, o)) return true;
    }
  }
  return false;
}

// One record's bytes: parse, filter, hand over. Schema breaks are skipped and counted. `owned`,
// when not null, holds exactly the bytes `json` views; they move into the advisory instead of being
// copied, and `owned` is left empty.
Result<> take(std::string_view json, std::string* owned, std::string_view where,
              const OsvReadOptions& options, const std::function<Result<>(Advisory&&)>& sink,
              OsvReadStats& stats) {
  auto a = parse_osv_record(json);
  if (!a) {
    if (a.error().code == Errc::data_loss)
      return tl::make_unexpected(with_context(a.error(), where));
    ++stats.skipped;
    if (stats.skipped_examples.size() < 5)
      stats.skipped_examples.push_back(std::string(where) + ": " + a.error().message);
    return {};
  }
  if (auto modified = parse_rfc3339(a->modified); modified && *modified >= stats.newest_modified) {
    if (*modified > stats.newest_modified) stats.newest_ids.clear();
    stats.newest_modified = *modified;
    stats.newest_ids.push_back(a->id);
  }
  if (!wanted(*a, options.only_ecosystems)) {
    ++stats.skipped;
    return {};
  }
  if (owned != nullptr) {
    a->osv_json = std::move(*owned);
    owned->clear();
  } else {
    a->osv_json.assign(json);
  }
  ++stats.records;
  return sink(std::move(*a));
}

// A JSON document that is one record or an array of records; `owned` as for take().
Result<> take_document(std::string_view json, std::string* owned, std::string_view where,
                       const OsvReadOptions& options,
                       const std::function<Result<>(Advisory&&)>& sink, OsvReadStats& stats) {
  std::size_t i = json.find_first_not_of(" \t\r\n");
  if (i != std::string_view::npos && json[i] == '[') {
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    if (doc.HasParseError() || !doc.IsArray())
      return fail(Errc::data_loss, std::string(where) + ": invalid JSON array at byte " +
                                       std::to_string(doc.GetErrorOffset()));
    for (auto& item : doc.GetArray()) {
      rapidjson::StringBuffer buf;
      // Records are re-serialised one at a time so parse_osv_record stays the only parser.
      rapidjson::Writer<rapidjson::StringBuffer> w(buf);
      item.Accept(w);
      PP_CHECK(take(std::string_view(buf.GetString(), buf.GetSize()), nullptr, where, options, sink,
                    stats));
    }
    return {};
  }
  return take(json, owned, where, options, sink, stats);
}

Result<> read_zip(const std::filesystem::path& path, const OsvReadOptions& options,
                  const std::function<Result<>(Advisory&&)>& sink, OsvReadStats& stats) {
  ArchivePtr a(archive_read_new(), &archive_read_free);
  archive_read_support_format_zip(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    return fail(Errc::data_loss,
                path.string() + ": cannot open zip: " + archive_error_string(a.get()));
  std::uint64_t total = 0;
  std::error_code ec;
  total = std::filesystem::file_size(path, ec);
  archive_entry* entry = nullptr;
  std::string buf;
  for (;;) {
    int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
      return fail(Errc::data_loss,
                  path.string() + ": corrupt zip: " + archive_error_string(a.get()));
    std::string name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    if (archive_entry_filetype(entry) != AE_IFREG || !name.ends_with(".json")) continue;
    la_int64_t size = archive_entry_size(entry);
    if (size > static_cast<la_int64_t>(kMaxOsvRecordBytes))
      return fail(Errc::resource_exhausted, path.string() + ": " + name + ": record of " +
                                                std::to_string(size) + " bytes is over the limit");
    buf.clear();
    // The previous member's bytes moved on with its record; size the next buffer once.
    if (size > 0) buf.reserve(static_cast<std::size_t>(size));
    char chunk[1 << 16];
    for (;;) {
      la_ssize_t n = archive_read_data(a.get(), chunk, sizeof chunk);
      if (n < 0)
        return fail(Errc::data_loss,
                    path.string() + ": " + name + ": " + archive_error_string(a.get()));
      if (n == 0) break;
      if (buf.size() + static_cast<std::size_t>(n) > kMaxOsvRecordBytes)
        return fail(Errc::resource_exhausted,
                    path.string() + ": " + name + ": record over the limit");
      buf.append(chunk, static_cast<std::size_t>(n));
    }
    PP_CHECK(take_document(buf, &buf, path.filename().string() + ":" + name, options, sink, stats));
    stats.bytes = static_cast<std::uint64_t>(archive_filter_bytes(a.get(), -1));
    if (options.progress) options.progress(stats.bytes, total);
  }
  return {};
}

}  // namespace

Result<OsvReadStats> read_osv(const std::filesystem::path& path, const OsvReadOptions& options,
                              const std::function<Result<>(Advisory&&)>& sink) {
  OsvReadStats stats;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    std::vector<std::filesystem::path> files;
    for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file() && it->path().extension() == ".json") files.push_back(it->path());
    }
    if (ec) return tl::make_unexpected(errno_error(ec.value(), path.string()));
    std::sort(files.begin(), files.end());  // a stable order makes logs and tests repeatable
    std::uint64_t done = 0;
    for (const auto& f : files) {
      PP_TRY(text, read_bounded_file(f, kMaxOsvRecordBytes));
      const std::uint64_t size = text.size();
      PP_CHECK(
          take_document(text, &text, f.lexically_relative(path).string(), options, sink, stats));
      stats.bytes += size;
      if (options.progress) options.progress(++done, files.size());
    }
    return stats;
  }
  if (is_zip(path)) {
    PP_CHECK(read_zip(path, options, sink, stats));
    return stats;
  }
  PP_TRY(text, read_bounded_file(path, std::size_t{1} << 30));
  stats.bytes = text.size();
  PP_CHECK(take_document(text, &text, path.filename().string(), options, sink, stats));
  return stats;
}

namespace {

Result<ReadStats> read_feed(const FetchResult& f, const config::FeedConfig& c,
                            const FeedSinks& sinks) {
  OsvReadOptions o;
  o.only_ecosystems = c.only;
  o.progress = sinks.progress;
  PP_TRY(s, read_osv(f.path, o, sinks.advisory));
  return ReadStats{s.records, s.skipped, s.skipped_examples};
}

}  // namespace

FeedKind osv_feed_kind() {
  return FeedKind{.name = "osv",
                  .check = nullptr,
                  .read = read_feed,
                  .make = [](const config::FeedConfig& c) -> std::unique_ptr<Feed> {
                    if (!is_osv_bucket_url(c.url)) return nullptr;
                    return std::make_unique<OsvBucketFeed>(c);
                  }};
}

}  // namespace patchparty::feeds
