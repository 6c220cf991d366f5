// patchparty vex export: the triage in force, as OpenVEX, so other tools (Trivy, Grype,
// Dependency-Track) and other patchparty hosts read the same decisions.
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>

#include "config/config.h"
#include "core/base/random_uuid.h"
#include "core/model/purl.h"
#include "core/report/report_format.h"
#include "core/store/finding_tables.h"
#include "core/store/store.h"
#include "core/suppress/suppressions.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/config_options.h"
#include "daemon/cli/exit_codes.h"
#include "exporters/sbom/openvex_writer.h"

namespace patchparty::cli {

namespace {

struct VexArgs {
  std::string config_file, state_dir, output, author, id;
};

// One statement per suppressed finding, in the words of the rule that suppresses it:
//   - not_affected and fixed as the rule says, its reason as the impact statement;
//   - a rule without a VEX status is the operator's own "not a problem here": not_affected,
//     its reason as the impact statement (OpenVEX asks for a justification or an impact
//     statement);
//   - a rule that says affected or under_investigation suppresses in patchparty (an accepted
//     risk) but not in VEX: it is exported as it says, and counted as not suppressing.
// A rule's expiry has no place in OpenVEX: it is written into the impact statement.
struct Exported {
  sbom::VexExport doc;
  std::size_t not_suppressing = 0;
  std::size_t expiring = 0;
};

Exported export_statements(const std::vector<Finding>& findings,
                           const suppress::Suppressions& suppressions, std::int64_t now) {
  Exported out;
  for (const Finding& f : findings) {
    auto match = suppressions.match(f, now);
    if (!match || match->expired) continue;
    sbom::VexExportStatement s;
    s.vulnerability = f.vulnerability;
    s.aliases = f.aliases;
    s.products = {purl_of(f.package)};
    s.status = match->vex_status.empty() ? "not_affected" : match->vex_status;
    std::string why = match->reason;
    if (match->expires) {
      why += " (until " + exporters::format_rfc3339(*match->expires) + ")";
      ++out.expiring;
    }
    if (s.status == "not_affected") {
      s.justification = match->vex_justification;
      s.impact_statement = why;
    } else if (s.status == "affected") {
      s.action_statement = why;
      ++out.not_suppressing;
    } else if (s.status == "under_investigation") {
      s.impact_statement = why;
      ++out.not_suppressing;
    } else {
      s.impact_statement = why;  // fixed
    }
    s.timestamp = now;
    out.doc.statements.push_back(std::move(s));
  }
  return out;
}

int run(const VexArgs& args) {
  auto fail_with = [](const std::string& message) {
    std::cerr << "patchparty vex export: " << message << "\n";
    return kExitError;
  };
  auto c = load_cli_config(args.config_file, args.state_dir);
  if (!c) return fail_with(c.error().message);
  auto suppressions = suppress::load_suppressions(c->suppressions);
  if (!suppressions) return fail_with(suppressions.error().message);
  auto store = store::Store::open_read_only(c->state_dir);
  if (!store)
    return fail_with("cannot read the store in " + c->state_dir.string() + ": " +
                     store.error().message);
  auto findings = store::load_findings(store->database());
  if (!findings) return fail_with(findings.error().message);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  Exported e = export_statements(*findings, *suppressions, now);
  e.doc.author =
      args.author.empty()
          ? "patchparty on " + (c->host_name.empty() ? std::string("this host") : c->host_name)
          : args.author;
  e.doc.timestamp = now;
  e.doc.id = args.id.empty() ? "urn:uuid:" + random_uuid() : args.id;
  const std::string text = sbom::write_openvex(e.doc);
  if (args.output.empty()) {
    std::cout << text;
  } else {
    std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return fail_with("cannot write " + args.output);
  }
  std::cerr << e.doc.statements.size() << " statements from " << findings->size()
            << " open findings";
  if (e.not_suppressing)
    std::cerr << "; " << e.not_suppressing
              << " say affected or under_investigation, which other tools do not take as a "
                 "suppression";
  if (e.expiring) std::cerr << "; " << e.expiring << " from rules that expire (date in the text)";
  std::cerr << "\n";
  return kExitOk;
}

}  // namespace

void add_vex_command(CLI::App& app, int& exit_code) {
  auto* vex = app.add_subcommand("vex", "OpenVEX documents of this host's triage");
  vex->require_subcommand(1);
  auto args = std::make_shared<VexArgs>();
  auto* cmd = vex->add_subcommand(
      "export", "the suppressions in force over the daemon's open findings, as OpenVEX v0.2.0");
  add_config_options(*cmd, args->config_file, args->state_dir);
  cmd->add_option("-o,--output", args->output, "write to this file instead of standard output");
  cmd->add_option("--author", args->author, "the document's author (default: patchparty on HOST)");
  cmd->add_option("--id", args->id, "the document's @id (default: a new urn:uuid:)");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace patchparty::cli
