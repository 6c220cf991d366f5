// RapidJSON output shared by every document writer: two-space indentation for readable diffs,
// strings forced to valid UTF-8, numbers rounded before they are written. A stored record can ask
// for the compact layout and its strings kept byte for byte instead.
#pragma once

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/report/report_format.h"

namespace patchparty::exporters {

// Invalid UTF-8 (a mis-encoded lockfile, a broken feed) becomes U+FFFD: RapidJSON would
// otherwise copy the bytes through and the file would not parse.
std::string utf8_or_replacement(std::string_view s);

struct JsonStyle {
  // Two-space indentation and a final newline, for files and terminals; compact for a value
  // kept in a database column.
  bool pretty = true;
  // Off only for records read back by RapidJSON itself, where a path or process name with
  // bytes that are not UTF-8 must come back as it was.
  bool valid_utf8 = true;
};

class JsonOut {
 public:
  explicit JsonOut(JsonStyle style = {})
      : style_(style), pretty_writer_(buffer_), compact_writer_(buffer_) {
    pretty_writer_.SetIndent(' ', 2);
  }

  void start_object() {
    write([](auto& w) { w.StartObject(); });
  }
  void end_object() {
    write([](auto& w) { w.EndObject(); });
  }
  void start_array() {
    write([](auto& w) { w.StartArray(); });
  }
  void end_array() {
    write([](auto& w) { w.EndArray(); });
  }
  void key(std::string_view k) {
    write([k](auto& w) { w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); });
  }
  void string(std::string_view v) {
    const std::string s = style_.valid_utf8 ? utf8_or_replacement(v) : std::string(v);
    write([&s](auto& w) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); });
  }
  void null() {
    write([](auto& w) { w.Null(); });
  }
  void boolean(bool b) {
    write([b](auto& w) { w.Bool(b); });
  }
  void integer(std::int64_t n) {
    write([n](auto& w) { w.Int64(n); });
  }
  // JSON has no NaN or infinity; RapidJSON would stop writing mid-document on one.
  void number(double v) {
    write([v](auto& w) { std::isfinite(v) ? w.Double(v) : w.Null(); });
  }

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

  std::string finish() {
    std::string out;
    out.reserve(buffer_.GetSize() + 1);
    out.append(buffer_.GetString(), buffer_.GetSize());
    if (style_.pretty) out += '\n';
    return out;
  }

  // For a document too large to hold twice (a fleet's backlog): what is written so far goes to
  // `os` and the buffer starts over; the writer's nesting is kept, so writing goes on as before.
  void drain(std::ostream& os) {
    os.write(buffer_.GetString(), static_cast<std::streamsize>(buffer_.GetSize()));
    buffer_.Clear();
  }
  // The end of a drained document.
  void finish(std::ostream& os) {
    drain(os);
    if (style_.pretty) os << '\n';
  }

 private:
  // PrettyWriter's methods hide Writer's rather than override them, so each call goes to the
  // writer of the chosen layout by name.
  template <class F>
  void write(F&& f) {
    style_.pretty ? f(pretty_writer_) : f(compact_writer_);
  }

  JsonStyle style_;
  rapidjson::StringBuffer buffer_;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> pretty_writer_;
  rapidjson::Writer<rapidjson::StringBuffer> compact_writer_;
};

}  // namespace patchparty::exporters
