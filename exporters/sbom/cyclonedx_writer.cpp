#include "exporters/sbom/cyclonedx_writer.h"

#include <map>
#include <string_view>
#include <utility>

#include "core/model/purl.h"
#include "core/report/json_output.h"
#include "core/report/report_format.h"

namespace patchparty::sbom {

namespace {

using exporters::JsonOut;

void property(JsonOut& j, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  j.start_object();
  j.field("name", name);
  j.field("value", value);
  j.end_object();
}

// bom-refs must be unique within the document: the purl alone while it is, else with the
// location, else numbered.
std::vector<std::string> bom_refs(const std::vector<std::string>& purls,
                                  const std::vector<Package>& packages) {
  std::map<std::string, std::size_t> uses;
  for (const auto& purl : purls) ++uses[purl];
  std::vector<std::string> refs;
  std::map<std::string, std::size_t> taken;
  for (std::size_t i = 0; i < purls.size(); ++i) {
    std::string ref = purls[i];
    if (uses[purls[i]] > 1 && !packages[i].location.empty()) ref += "|" + packages[i].location;
    const std::size_t n = ++taken[ref];
    if (n > 1) ref += "#" + std::to_string(n);
    refs.push_back(std::move(ref));
  }
  return refs;
}

void host_component(JsonOut& j, const SbomInput& in) {
  j.key("component");
  j.start_object();
  j.field("type", "operating-system");
  j.field("bom-ref", "host:" + in.host_name);
  j.field("name", in.host_name);
  if (!in.os_version.empty()) j.field("version", in.os_version);
  if (!in.os_id.empty() || !in.host_ecosystem.empty()) {
    j.key("properties");
    j.start_array();
    property(j, "patchparty:os-id", in.os_id);
    property(j, "patchparty:ecosystem", in.host_ecosystem);
    j.end_array();
  }
  j.end_object();
}

void package_component(JsonOut& j, const Package& p, const std::string& purl,
                       const std::string& ref) {
  j.start_object();
  j.field("bom-ref", ref);
  j.field("type", "library");
  const auto colon = p.name.find(':');
  if (p.ecosystem == "Maven" && colon != std::string::npos && colon > 0) {
    j.field("group", std::string_view(p.name).substr(0, colon));
    j.field("name", std::string_view(p.name).substr(colon + 1));
  } else {
    j.field("name", p.name);
  }
  if (!p.version.empty()) j.field("version", p.version);
  j.field("purl", purl);
  j.key("properties");
  j.start_array();
  property(j, "patchparty:project", p.project);
  property(j, "patchparty:location", p.location);
  property(j, "patchparty:source", p.origin);
  if (p.dev) property(j, "patchparty:dev", "true");
  if (p.optional) property(j, "patchparty:optional", "true");
  j.end_array();
  j.end_object();
}

}  // namespace

std::string write_cyclonedx(const SbomInput& in) {
  std::vector<std::string> purls;
  purls.reserve(in.packages.size());
  for (const Package& p : in.packages) purls.push_back(purl_of(p));
  const std::vector<std::string> refs = bom_refs(purls, in.packages);

  JsonOut j;
  j.start_object();
  j.field("$schema", "http://cyclonedx.org/schema/bom-1.5.schema.json");
  j.field("bomFormat", "CycloneDX");
  j.field("specVersion", "1.5");
  if (!in.serial_uuid.empty()) j.field("serialNumber", "urn:uuid:" + in.serial_uuid);
  j.field_int("version", 1);
  j.key("metadata");
  j.start_object();
  j.field("timestamp", exporters::format_rfc3339(in.timestamp));
  j.key("tools");
  j.start_object();
  j.key("components");
  j.start_array();
  j.start_object();
  j.field("type", "application");
  j.field("name", "patchparty");
  if (!in.tool_version.empty()) j.field("version", in.tool_version);
  j.end_object();
  j.end_array();
  j.end_object();
  host_component(j, in);
  j.end_object();
  j.key("components");
  j.start_array();
  for (std::size_t i = 0; i < in.packages.size(); ++i)
    package_component(j, in.packages[i], purls[i], refs[i]);
  j.end_array();
  j.end_object();
  return j.finish();
}

}  // namespace patchparty::sbom
