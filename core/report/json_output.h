// RapidJSON output shared by the backlog and scan writers: two-space indentation for readable
// diffs, strings forced to valid UTF-8, numbers rounded before they are written.
#pragma once

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/report/report_format.h"

namespace patchparty::exporters {

// Invalid UTF-8 (a mis-encoded lockfile, a broken feed) becomes U+FFFD: RapidJSON would
// otherwise copy the bytes through and the file would not parse.
std::string utf8_or_replacement(std::string_view s);

class JsonOut {
 public:
  JsonOut() : writer_(buffer_) { writer_.SetIndent(' ', 2); }

  void start_object() { writer_.StartObject(); }
  void end_object() { writer_.EndObject(); }
  void start_array() { writer_.StartArray(); }
  void end_array() { writer_.EndArray(); }
  void key(std::string_view k) {
    writer_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
  }
  void string(std::string_view v) {
    const std::string s = utf8_or_replacement(v);
    writer_.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
  }
  void null() { writer_.Null(); }
  void boolean(bool b) { writer_.Bool(b); }
  void integer(std::int64_t n) { writer_.Int64(n); }
  // JSON has no NaN or infinity; RapidJSON would stop writing mid-document on one.
  void number(double v) { std::isfinite(v) ? writer_.Double(v) : writer_.Null(); }

  void field(std::string_view k, std::string_view v) {
    key(k);
    string(v);
  }
  void field(std::string_view k, const char* v) {
    key(k);
    string(v);
  }
  void field(std::string_view k, const std::string& v) {
    key(k);
    string(v);
  }
  void field(std::string_view k, bool v) {
    key(k);
    boolean(v);
  }
  void field_int(std::string_view k, std::int64_t v) {
    key(k);
    integer(v);
  }
  void field_number(std::string_view k, double v) {
    key(k);
    number(v);
  }
  void field_number(std::string_view k, std::optional<double> v) {
    key(k);
    v ? number(*v) : null();
  }
  // An empty string is written as null: the key stays, so the schema is the same for every row.
  // An instant as RFC 3339 UTC, or null when there is none.
  void time_or_null(std::string_view k, const std::optional<std::int64_t>& t) {
    key(k);
    t ? string(format_rfc3339(*t)) : null();
  }
  void field_or_null(std::string_view k, std::string_view v) {
    key(k);
    v.empty() ? null() : string(v);
  }
  void field(std::string_view k, const std::vector<std::string>& values) {
    key(k);
    start_array();
    for (const auto& v : values) string(v);
    end_array();
  }

  std::string finish() { return std::string(buffer_.GetString(), buffer_.GetSize()) + "\n"; }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer_;
};

}  // namespace patchparty::exporters
