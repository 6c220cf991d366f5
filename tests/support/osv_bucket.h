// An ecosystem's folder of OSV's bucket, built in memory from records: all.zip, modified_id.csv
// (newest first) and one <ID>.json per record, served over loopback HTTP or written to a folder.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/base/rfc3339_time.h"
#include "tests/support/http_test_server.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"
#include "tests/support/zip_writer.h"

namespace patchparty::testing {

class OsvBucket {
 public:
  // Every *.json under `dir`, as published.
  static OsvBucket from_folder(const std::filesystem::path& dir) {
    OsvBucket b;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
      if (e.is_regular_file() && e.path().extension() == ".json")
        b.put(Subprocess::slurp(e.path()));
    }
    return b;
  }

  // Adds or replaces a record by its id.
  void put(std::string json) {
    rapidjson::Document d;
    d.Parse(json.data(), json.size());
    records_[d["id"].GetString()] = std::move(json);
  }

  // The record `id` as a changed copy: `modified` set to `at`, the summary rewritten, and with
  // `withdraw` a withdrawn time too, as OSV publishes a retraction.
  void change(const std::string& id, std::int64_t at, bool withdraw = false) {
    rapidjson::Document d;
    d.Parse(records_.at(id).c_str());
    auto& alloc = d.GetAllocator();
    const std::string when = format_rfc3339(at);
    auto set = [&](const char* key, const std::string& value) {
      rapidjson::Value v(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), alloc);
      if (d.HasMember(key)) {
        d[key] = v;
      } else {
        d.AddMember(rapidjson::Value(key, alloc), v, alloc);
      }
    };
    set("modified", when);
    set("summary", "changed at " + when);
    if (withdraw) set("withdrawn", when);
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    d.Accept(w);
    records_[id] = buf.GetString();
  }

  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const auto& [id, _] : records_) out.push_back(id);
    return out;
  }

  std::string zip() const {
    const auto tmp = temp_dir("osv-bucket-zip") / "all.zip";
    {
      ZipWriter zip(tmp);
      for (const auto& [id, json] : records_) zip.add(id + ".json", json);
    }
    return Subprocess::slurp(tmp);
  }

  // "<modified>,<id>" rows, newest first, ties by id as a stable order.
  std::string index() const {
    std::vector<std::pair<std::int64_t, std::string>> rows;
    for (const auto& [id, json] : records_) {
      rapidjson::Document d;
      d.Parse(json.c_str());
      rows.emplace_back(parse_rfc3339(d["modified"].GetString()).value_or(0), id);
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::string out;
    for (const auto& [t, id] : rows) out += format_rfc3339(t) + "," + id + "\n";
    return out;
  }

  // GET <folder>all.zip, <folder>modified_id.csv and <folder><ID>.json; `folder` ends in '/'.
  void serve(HttpTestServer& server, const std::string& folder) const {
    server.set(folder + "all.zip", Route{.body = zip(), .etag = "\"" + zip_tag() + "\""});
    server.set(folder + "modified_id.csv", Route{.body = index(), .content_type = "text/csv"});
    for (const auto& [id, json] : records_)
      server.set(folder + id + ".json", Route{.body = json, .content_type = "application/json"});
  }

  void write(const std::filesystem::path& folder) const {
    std::filesystem::create_directories(folder);
    std::ofstream(folder / "all.zip", std::ios::binary) << zip();
    std::ofstream(folder / "modified_id.csv", std::ios::binary) << index();
    for (const auto& [id, json] : records_)
      std::ofstream(folder / (id + ".json"), std::ios::binary) << json;
  }

 private:
  // A validator that changes whenever the index does, as an object store's ETag would.
  std::string zip_tag() const { return std::to_string(std::hash<std::string>{}(index())); }

  std::map<std::string, std::string> records_;
};

}  // namespace patchparty::testing
