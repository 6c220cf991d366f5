#include "daemon/lifecycle/feeds_report.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

namespace patchparty::lifecycle {

std::string feed_statuses_json(std::span<const store::FeedStatus> statuses) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("schema");
  w.String(kFeedsJsonSchema);
  w.Key("feeds");
  w.StartArray();
  for (const auto& s : statuses) {
    w.StartObject();
    w.Key("feed");
    w.String(s.feed.c_str());
    w.Key("kind");
    w.String(s.kind.c_str());
    w.Key("records");
    w.Int64(s.record_count);
    w.Key("records_skipped");
    w.Int64(s.records_skipped);
    w.Key("last_success_at");
    w.Int64(s.last_success_at);
    w.Key("last_attempt_at");
    w.Int64(s.last_attempt_at);
    w.Key("failures");
    w.Int64(s.failures);
    w.Key("last_error");
    w.String(s.last_error.c_str());
    w.Key("bytes");
    w.Int64(s.bytes);
    w.Key("duration_seconds");
    w.Double(s.duration_seconds);
    w.Key("download_bytes");
    w.Int64(s.download_bytes);
    w.Key("sync_mode");
    w.String(s.sync_mode.c_str());
    w.Key("cursor");
    w.String(s.cursor.c_str());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace patchparty::lifecycle
