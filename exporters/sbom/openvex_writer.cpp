#include "exporters/sbom/openvex_writer.h"

#include "core/report/json_output.h"
#include "core/report/report_format.h"

namespace patchparty::sbom {

namespace {

void optional_field(exporters::JsonOut& j, std::string_view key, const std::string& value) {
  if (!value.empty()) j.field(key, value);
}

}  // namespace

std::string write_openvex(const VexExport& vex) {
  exporters::JsonOut j;
  j.start_object();
  j.field("@context", "https://openvex.dev/ns/v0.2.0");
  j.field("@id", vex.id);
  j.field("author", vex.author);
  j.field("timestamp", exporters::format_rfc3339(vex.timestamp));
  j.field_int("version", 1);
  j.key("statements");
  j.start_array();
  for (const VexExportStatement& s : vex.statements) {
    j.start_object();
    j.key("vulnerability");
    j.start_object();
    j.field("name", s.vulnerability);
    if (!s.aliases.empty()) j.field("aliases", s.aliases);
    j.end_object();
    if (s.timestamp != 0) j.field("timestamp", exporters::format_rfc3339(s.timestamp));
    j.key("products");
    j.start_array();
    for (const std::string& purl : s.products) {
      j.start_object();
      j.field("@id", purl);
      j.end_object();
    }
    j.end_array();
    j.field("status", s.status);
    optional_field(j, "justification", s.justification);
    optional_field(j, "impact_statement", s.impact_statement);
    optional_field(j, "action_statement", s.action_statement);
    j.end_object();
  }
  j.end_array();
  j.end_object();
  return j.finish();
}

}  // namespace patchparty::sbom
