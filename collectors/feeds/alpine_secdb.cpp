#include "collectors/feeds/alpine_secdb.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <map>
#include <utility>

#include "core/base/bounded_file.h"
#include "core/base/error_context.h"

namespace patchparty::feeds {

namespace {

constexpr std::size_t kMaxSkipExamples = 5;

bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool clean_token(std::string_view s) {
  if (s.empty()) return false;
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; });
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && blank(s[i])) ++i;
    std::size_t start = i;
    while (i < s.size() && !blank(s[i])) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

std::string_view view(const rapidjson::Value& v) {
  return std::string_view(v.GetString(), v.GetStringLength());
}

class SecdbReader {
 public:
  explicit SecdbReader(const std::function<Result<>(Advisory&&)>& sink) : sink_(sink) {}

  Result<AlpineSecdbStats> run(std::string_view json) {
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(json.data(),
                                                                                      json.size());
    if (doc.HasParseError())
      return fail(Errc::data_loss, "alpine secdb: invalid JSON at byte " +
                                       std::to_string(doc.GetErrorOffset()) + ": " +
                                       rapidjson::GetParseError_En(doc.GetParseError()));
    if (!doc.IsObject()) return bad("the document is not an object");
    // Looked up through a const reference: clang in C++20 finds comparing non-const member
    // iterators ambiguous.
    const rapidjson::Value& root = doc;
    auto version = root.FindMember("distroversion");
    if (version == root.MemberEnd() || !version->value.IsString())
      return bad("no \"distroversion\" string");
    if (!clean_token(view(version->value)))
      return bad("unusable distroversion '" + std::string(view(version->value)) + "'");
    ecosystem_ = "Alpine:" + std::string(view(version->value));
    auto packages = root.FindMember("packages");
    if (packages == root.MemberEnd() || !packages->value.IsArray())
      return bad("no \"packages\" array");
    std::size_t index = 0;
    for (const auto& entry : packages->value.GetArray()) {
      PP_CHECK(package(entry, index++));
    }
    return std::move(stats_);
  }

 private:
  tl::unexpected<Error> bad(std::string what) const {
    return fail(Errc::data_loss, "alpine secdb: " + std::move(what));
  }

  void skip(std::string reason) {
    ++stats_.skipped;
    if (stats_.skipped_examples.size() < kMaxSkipExamples)
      stats_.skipped_examples.push_back(std::move(reason));
  }

  Result<> package(const rapidjson::Value& entry, std::size_t index) {
    std::string where = "packages[" + std::to_string(index) + "]";
    ++stats_.packages;
    if (!entry.IsObject()) return bad(where + ": not an object");
    auto pkg = entry.FindMember("pkg");
    if (pkg == entry.MemberEnd() || !pkg->value.IsObject())
      return bad(where + ": no \"pkg\" object");
    auto name = pkg->value.FindMember("name");
    if (name == pkg->value.MemberEnd() || !name->value.IsString())
      return bad(where + ": no \"name\" string");
    std::string_view package_name = view(name->value);
    auto secfixes = pkg->value.FindMember("secfixes");
    if (secfixes == pkg->value.MemberEnd() || secfixes->value.IsNull()) return {};
    if (!secfixes->value.IsObject()) return bad(where + ": \"secfixes\" is not an object");
    if (!clean_token(package_name)) {
      skip(where + ": unusable package name '" + std::string(package_name) + "'");
      return {};
    }
    where += " " + std::string(package_name);

    // Advisories of this package, in the order their ids first appear.
    std::vector<Advisory> out;
    std::map<std::string, std::size_t, std::less<>> by_id;
    for (const auto& fix : secfixes->value.GetObject()) {
      std::string_view version = view(fix.name);
      if (fix.value.IsNull()) continue;
      if (!fix.value.IsArray())
        return bad(where + ": secfixes \"" + std::string(version) + "\" is not an array");
      for (const auto& item : fix.value.GetArray()) {
        if (!item.IsString())
          return bad(where + ": secfixes \"" + std::string(version) + "\" holds a non-string");
        ++stats_.fixes;
        if (version == "0") {
          ++stats_.not_affected;
          continue;
        }
        if (!clean_token(version)) {
          skip(where + ": unusable version '" + std::string(version) + "'");
          continue;
        }
        auto ids = words(view(item));
        if (ids.empty() || !clean_token(ids.front())) {
          skip(where + " " + std::string(version) + ": unusable id '" + std::string(view(item)) +
               "'");
          continue;
        }
        auto [it, fresh] = by_id.try_emplace(std::string(ids.front()), out.size());
        if (fresh) out.push_back(advisory(ids.front(), package_name));
        Advisory& a = out[it->second];
        for (std::size_t i = 1; i < ids.size(); ++i) {
          // Aliases reach labels and the store like ids do: the same rules apply.
          if (!clean_token(ids[i])) {
            skip(where + " " + std::string(version) + ": unusable alias in '" +
                 std::string(view(item)) + "'");
            continue;
          }
          if (ids[i] != a.id &&
              std::find(a.aliases.begin(), a.aliases.end(), ids[i]) == a.aliases.end())
            a.aliases.emplace_back(ids[i]);
        }
        auto& ranges = a.affected.front().ranges;
        bool known = std::any_of(ranges.begin(), ranges.end(), [&](const Range& r) {
          return r.events.back().version == version;
        });
        if (!known)
          ranges.push_back(Range{Range::Type::ecosystem,
                                 {{RangeEvent::Kind::introduced, "0"},
                                  {RangeEvent::Kind::fixed, std::string(version)}}});
      }
    }
    for (auto& a : out) {
      ++stats_.records;
      PP_CHECK(sink_(std::move(a)));
    }
    return {};
  }

  Advisory advisory(std::string_view id, std::string_view package_name) const {
    Advisory a;
    a.id = id;
    a.feed = std::string(kAlpineSecdbFeed);
    Affected af;
    af.ecosystem = ecosystem_;
    af.name = package_name;
    af.fix_status = FixStatus::fixed;
    a.affected.push_back(std::move(af));
    return a;
  }

  const std::function<Result<>(Advisory&&)>& sink_;
  AlpineSecdbStats stats_;
  std::string ecosystem_;
};

}  // namespace

Result<AlpineSecdbStats> parse_alpine_secdb(std::string_view json,
                                            const std::function<Result<>(Advisory&&)>& sink) {
  if (json.size() > kMaxAlpineSecdbBytes)
    return fail(Errc::resource_exhausted, "alpine secdb: " + std::to_string(json.size()) +
                                              " bytes, over the limit of " +
                                              std::to_string(kMaxAlpineSecdbBytes));
  SecdbReader reader(sink);
  return reader.run(json);
}

Result<AlpineSecdbStats> read_alpine_secdb(const std::filesystem::path& file,
                                           const std::function<Result<>(Advisory&&)>& sink) {
  PP_TRY(text, read_bounded_file(file, kMaxAlpineSecdbBytes));
  return with_context(parse_alpine_secdb(text, sink), file.string());
}

namespace {

Result<ReadStats> read_feed(const FetchResult& f, const config::FeedConfig&,
                            const FeedSinks& sinks) {
  PP_TRY(s, read_alpine_secdb(f.path, sinks.advisory));
  return ReadStats{s.records, s.skipped, s.skipped_examples};
}

}  // namespace

FeedKind alpine_secdb_feed_kind() {
  return FeedKind{.name = "alpine-secdb", .check = nullptr, .read = read_feed, .make = nullptr};
}

}  // namespace patchparty::feeds
