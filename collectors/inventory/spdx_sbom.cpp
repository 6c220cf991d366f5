#include "collectors/inventory/spdx_sbom.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <set>
#include <utility>

namespace patchparty::inventory {

namespace {

// Iterative parsing keeps deeply nested input from exhausting the stack; encoding validation
// keeps invalid UTF-8 out of names that end up in messages and reports.
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

using Value = rapidjson::Value;

std::string str(const Value& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

Result<std::string> optional_string(const Value& obj, const char* key, const std::string& where) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::string();
  if (!it->value.IsString())
    return fail(Errc::invalid_argument, where + ": \"" + key + "\" is not a string");
  return str(it->value);
}

// An optional array member: absent or null is nullptr.
Result<const Value*> optional_array(const Value& obj, const char* key, const std::string& where) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
  if (!it->value.IsArray())
    return fail(Errc::invalid_argument, where + ": \"" + key + "\" is not an array");
  return &it->value;
}

// SPDXIDs of the document's subject: documentDescribes, and DESCRIBES relationships from the
// document (or DESCRIBED_BY towards it). Malformed entries name nothing; they are not packages.
std::set<std::string> described(const Value& root) {
  std::set<std::string> ids;
  auto list = root.FindMember("documentDescribes");
  if (list != root.MemberEnd() && list->value.IsArray())
    for (const auto& id : list->value.GetArray())
      if (id.IsString()) ids.insert(str(id));
  auto relationships = root.FindMember("relationships");
  if (relationships == root.MemberEnd() || !relationships->value.IsArray()) return ids;
  auto field = [](const Value& r, const char* key) {
    auto it = r.FindMember(key);
    return it != r.MemberEnd() && it->value.IsString() ? str(it->value) : std::string();
  };
  for (const auto& r : relationships->value.GetArray()) {
    if (!r.IsObject()) continue;
    const std::string type = field(r, "relationshipType");
    const std::string from = field(r, "spdxElementId"), to = field(r, "relatedSpdxElement");
    if (type == "DESCRIBES" && from == "SPDXRef-DOCUMENT") ids.insert(to);
    if (type == "DESCRIBED_BY" && to == "SPDXRef-DOCUMENT") ids.insert(from);
  }
  return ids;
}

Result<SbomCandidate> candidate(const Value& package, const std::string& where) {
  SbomCandidate c;
  PP_TRY(name, optional_string(package, "name", where));
  PP_TRY(version, optional_string(package, "versionInfo", where));
  PP_TRY(purpose, optional_string(package, "primaryPackagePurpose", where));
  c.name = std::move(name);
  c.version = std::move(version);
  c.type = std::move(purpose);
  PP_TRY(refs, optional_array(package, "externalRefs", where));
  if (!refs) return c;
  rapidjson::SizeType i = 0;
  for (const auto& ref : refs->GetArray()) {
    const std::string ref_where = where + ".externalRefs[" + std::to_string(i++) + "]";
    if (!ref.IsObject()) return fail(Errc::invalid_argument, ref_where + ": not an object");
    PP_TRY(category, optional_string(ref, "referenceCategory", ref_where));
    PP_TRY(type, optional_string(ref, "referenceType", ref_where));
    if ((category != "PACKAGE-MANAGER" && category != "PACKAGE_MANAGER") || type != "purl")
      continue;
    PP_TRY(locator, optional_string(ref, "referenceLocator", ref_where));
    c.purls.push_back(std::move(locator));
  }
  return c;
}

}  // namespace

Result<SbomResult> parse_spdx_sbom(std::string_view json, std::string_view project,
                                   std::string_view label_view) {
  const std::string label(label_view);
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(json.data(), json.size());
  if (doc.HasParseError())
    return fail(Errc::data_loss, label + ": invalid JSON at offset " +
                                     std::to_string(doc.GetErrorOffset()) + ": " +
                                     rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsObject()) return fail(Errc::invalid_argument, label + ": top level is not an object");
  // Through a const Value: RapidJSON 1.1's MemberIterator comparison is ambiguous under C++20.
  const Value& root = doc;
  PP_TRY(version, optional_string(root, "spdxVersion", label));
  if (version.empty())
    return fail(Errc::invalid_argument,
                label + ": no \"spdxVersion\" string, not an SPDX JSON document");
  if (version != "SPDX-2.3" && version != "SPDX-2.2") {
    std::string shown = version.substr(0, 40);
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    return fail(Errc::failed_precondition,
                label + ": " + shown + " is not supported (SPDX-2.3 and SPDX-2.2 are)");
  }

  const std::set<std::string> subject = described(root);
  SbomCollector out("spdx", project, label);
  PP_TRY(packages, optional_array(root, "packages", label));
  if (!packages) return std::move(out).finish();
  rapidjson::SizeType i = 0;
  for (const auto& package : packages->GetArray()) {
    const std::string where = label + ": packages[" + std::to_string(i++) + "]";
    if (!package.IsObject()) return fail(Errc::invalid_argument, where + ": not an object");
    PP_TRY(id, optional_string(package, "SPDXID", where));
    PP_TRY(c, candidate(package, where));
    if (!subject.count(id)) {
      out.add(c);
    } else if (c.type.empty() || c.type == "LIBRARY") {
      out.add_subject(c);
    }
  }
  return std::move(out).finish();
}

SpdxSbom::SpdxSbom(std::filesystem::path file, std::string project, std::size_t max_bytes)
    : file_(std::move(file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> SpdxSbom::scan() {
  PP_TRY(text, read_bounded_file(file_, max_bytes_));
  PP_TRY(result, parse_spdx_sbom(text, project_, file_.string()));
  last_ = std::move(result);
  return last_.packages;
}

InventoryKind spdx_inventory_kind() {
  InventoryKind k;
  k.name = "spdx";
  k.ecosystems_from_content = true;
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<SpdxSbom>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
