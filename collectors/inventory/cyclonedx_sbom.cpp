#include "collectors/inventory/cyclonedx_sbom.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <utility>

#include "core/model/purl.h"

namespace patchparty::inventory {

namespace {

// Iterative parsing keeps deeply nested input from exhausting the stack; encoding validation
// keeps invalid UTF-8 out of names that end up in messages and reports.
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

// Listed text reaches logs and terminals: no control bytes, and no field longer than a line.
std::string printable(std::string_view s) {
  constexpr std::size_t kMaxField = 200;
  std::string out;
  for (char c : s.substr(0, kMaxField))
    out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
  if (s.size() > kMaxField) out += "...";
  return out;
}

std::string describe(const SbomCandidate& c) {
  std::string out = c.name.empty() ? (c.purls.empty() ? "(no name)" : c.purls.front()) : c.name;
  if (!c.version.empty()) out += "@" + c.version;
  if (!c.type.empty()) out += " (" + c.type + ")";
  return printable(out);
}

using Value = rapidjson::Value;

std::string str(const Value& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

// An optional string member: absent or null is "", another type an error.
Result<std::string> optional_string(const Value& obj, const char* key, const std::string& where) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::string();
  if (!it->value.IsString())
    return fail(Errc::invalid_argument,
                (where.empty() ? "" : where + ": ") + "\"" + key + "\" is not a string");
  return str(it->value);
}

// CycloneDX properties are free-form name/value pairs; only ours is read, and malformed ones are
// left alone since nothing else depends on them.
bool property_true(const Value& component, std::string_view name) {
  auto it = component.FindMember("properties");
  if (it == component.MemberEnd() || !it->value.IsArray()) return false;
  for (const auto& prop : it->value.GetArray()) {
    if (!prop.IsObject()) continue;
    auto n = prop.FindMember("name");
    auto v = prop.FindMember("value");
    if (n != prop.MemberEnd() && v != prop.MemberEnd() && n->value.IsString() &&
        v->value.IsString() && str(n->value) == name && str(v->value) == "true")
      return true;
  }
  return false;
}

// Errors say what is wrong but not where: the caller adds the path, which is only spelled out
// then (building it for every component would cost the square of the nesting depth).
Result<SbomCandidate> candidate(const Value& component) {
  const std::string where;
  if (!component.IsObject()) return fail(Errc::invalid_argument, "not an object");
  SbomCandidate c;
  PP_TRY(purl, optional_string(component, "purl", where));
  if (!purl.empty()) c.purls.push_back(std::move(purl));
  PP_TRY(name, optional_string(component, "name", where));
  PP_TRY(version, optional_string(component, "version", where));
  PP_TRY(type, optional_string(component, "type", where));
  PP_TRY(scope, optional_string(component, "scope", where));
  c.name = std::move(name);
  c.version = std::move(version);
  c.type = std::move(type);
  c.dev = scope == "excluded" || property_true(component, "patchparty:dev");
  c.optional = scope == "optional" || property_true(component, "patchparty:optional");
  return c;
}

// Pre-order walk of the component tree in file order. Frames hold positions only, and the path
// of a component is spelled out when an error needs it, so memory stays linear in the depth.
struct Frame {
  const Value* components;
  rapidjson::SizeType next;
};

std::string path_of(const std::vector<Frame>& stack) {
  std::string path;
  for (const Frame& f : stack)
    path += (path.empty() ? "components[" : ".components[") + std::to_string(f.next - 1) + "]";
  return path;
}

Result<> walk(const Value& top, const std::string& label, SbomCollector& out) {
  if (!top.IsArray())
    return fail(Errc::invalid_argument, label + ": \"components\" is not an array");
  std::vector<Frame> stack{{&top, 0}};
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.next == f.components->Size()) {
      stack.pop_back();
      continue;
    }
    const Value& component = (*f.components)[f.next++];
    auto c = candidate(component);
    if (!c)
      return tl::make_unexpected(with_context(std::move(c).error(), label + ": " + path_of(stack)));
    out.add(*c);
    auto nested = component.FindMember("components");
    if (nested == component.MemberEnd() || nested->value.IsNull()) continue;
    if (!nested->value.IsArray())
      return fail(Errc::invalid_argument,
                  label + ": " + path_of(stack) + ": \"components\" is not an array");
    stack.push_back(Frame{&nested->value, 0});
  }
  return {};
}

}  // namespace

SbomCollector::SbomCollector(std::string_view origin, std::string_view project,
                             std::string_view label)
    : origin_(origin), project_(project), label_(label) {}

std::size_t SbomCollector::add_usable(const SbomCandidate& c, std::string& why) {
  std::size_t used = 0;
  for (const std::string& text : c.purls) {
    auto purl = parse_purl(text);
    if (!purl) {
      why = "purl '" + printable(text) + "' does not parse";
      continue;
    }
    auto p = package_from_purl(*purl, why);
    if (!p) {
      why = "purl '" + printable(text) + "': " + why;
      continue;
    }
    ++used;
    std::string key = p->ecosystem + '\0' + p->name + '\0' + p->version + '\0' + p->arch;
    if (auto seen = seen_.find(key); seen != seen_.end()) {
      Package& first = result_.packages[seen->second];
      first.dev = first.dev && c.dev;
      first.optional = first.optional && c.optional;
      continue;
    }
    p->origin = origin_;
    p->project = project_;
    p->location = label_;
    p->dev = c.dev;
    p->optional = c.optional;
    seen_.emplace(std::move(key), result_.packages.size());
    result_.packages.push_back(std::move(*p));
  }
  return used;
}

void SbomCollector::add(const SbomCandidate& c) {
  std::string why = "no purl";
  if (add_usable(c, why) > 0) return;
  ++result_.without_purl;
  if (result_.unusable.size() < kMaxUnusableListed)
    result_.unusable.push_back(describe(c) + ": " + why);
}

void SbomCollector::add_subject(const SbomCandidate& c) {
  std::string why;
  add_usable(c, why);
}

SbomResult SbomCollector::finish() && {
  if (result_.without_purl > result_.unusable.size())
    result_.unusable.push_back(
        "... and " + std::to_string(result_.without_purl - result_.unusable.size()) + " more");
  return std::move(result_);
}

Result<SbomResult> parse_cyclonedx_sbom(std::string_view json, std::string_view project,
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
  PP_TRY(format, optional_string(root, "bomFormat", label));
  if (format != "CycloneDX")
    return fail(Errc::invalid_argument,
                label + ": \"bomFormat\" is not \"CycloneDX\", not a CycloneDX JSON document");
  PP_TRY(spec, optional_string(root, "specVersion", label));
  if (spec.empty()) return fail(Errc::invalid_argument, label + ": no \"specVersion\" string");
  if (spec != "1.4" && spec != "1.5" && spec != "1.6")
    return fail(Errc::failed_precondition, label + ": CycloneDX specVersion " + printable(spec) +
                                               " is not supported (1.4, 1.5 and 1.6 are)");

  SbomCollector out("cyclonedx", project, label);
  auto metadata = root.FindMember("metadata");
  if (metadata != root.MemberEnd() && metadata->value.IsObject()) {
    auto subject = metadata->value.FindMember("component");
    if (subject != metadata->value.MemberEnd() && !subject->value.IsNull()) {
      auto c = candidate(subject->value);
      if (!c)
        return tl::make_unexpected(
            with_context(std::move(c).error(), label + ": metadata.component"));
      if (c->type == "library") out.add_subject(*c);
    }
  }
  auto components = root.FindMember("components");
  if (components != root.MemberEnd() && !components->value.IsNull())
    PP_CHECK(walk(components->value, label, out));
  return std::move(out).finish();
}

CycloneDxSbom::CycloneDxSbom(std::filesystem::path file, std::string project, std::size_t max_bytes)
    : file_(std::move(file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> CycloneDxSbom::scan() {
  PP_TRY(text, read_bounded_file(file_, max_bytes_));
  PP_TRY(result, parse_cyclonedx_sbom(text, project_, file_.string()));
  last_ = std::move(result);
  return last_.packages;
}

std::vector<std::string> sbom_notes(const SbomResult& result) {
  if (result.without_purl == 0) return {};
  std::vector<std::string> out{std::to_string(result.without_purl) +
                               " components without a usable package URL, not inventoried:"};
  out.insert(out.end(), result.unusable.begin(), result.unusable.end());
  return out;
}

InventoryKind cyclonedx_inventory_kind() {
  InventoryKind k;
  k.name = "cyclonedx";
  k.ecosystems_from_content = true;
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<CycloneDxSbom>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
