#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>

#include "collectors/inventory/inventory_plan.h"
#include "collectors/inventory/os_release.h"
#include "config/config.h"
#include "core/base/random_uuid.h"
#include "core/store/store.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/config_options.h"
#include "daemon/cli/exit_codes.h"
#include "daemon/cli/scan_sources.h"
#include "daemon/cli/text_table.h"
#include "exporters/sbom/cyclonedx_writer.h"

namespace patchparty::cli {

namespace {

struct InventoryArgs {
  std::string config_file;
  std::string state_dir;
  bool json = false;
  bool from_store = false;
  std::vector<std::string> inventories;  // KIND=PATH: only these, not the configuration's
  std::string ecosystem;
  std::string format = "table";
  std::string output;
};

struct Listing {
  std::string host_ecosystem;
  std::filesystem::path root = "/";  // whose os-release describes the host in an SBOM
  std::vector<Package> packages;
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
};

Listing scan_live(const config::Config& c) {
  Listing l;
  auto plan = inventory::plan_inventory(c);
  l.host_ecosystem = plan.host_ecosystem;
  l.root = c.inventory.root;
  l.warnings = plan.warnings;
  for (auto& s : plan.sources) {
    if (s.error) {
      l.errors.push_back(s.path + ": " + s.error->message);
      continue;
    }
    auto pkgs = s.source->scan();
    if (!pkgs) {
      l.errors.push_back(s.path + ": " + pkgs.error().message);
      continue;
    }
    for (const auto& note : s.source->notes()) l.warnings.push_back(s.path + ": " + note);
    for (auto& p : *pkgs) l.packages.push_back(std::move(p));
  }
  return l;
}

// Only what --inventory names, each read as `scan` reads it.
Listing scan_named(const InventoryArgs& args, const config::Config& c) {
  Listing l;
  for (const auto& arg : args.inventories) {
    auto in = parse_inventory_arg(arg, args.ecosystem,
                                  static_cast<std::size_t>(c.inventory.max_file_bytes));
    if (!in) {
      l.errors.push_back(in.error().message);
      continue;
    }
    auto pkgs = in->source->scan();
    if (!pkgs) {
      l.errors.push_back(in->path.string() + ": " + pkgs.error().message);
      continue;
    }
    for (const auto& note : in->source->notes())
      l.warnings.push_back(in->path.string() + ": " + note);
    if (l.host_ecosystem.empty())
      for (const auto& p : *pkgs)
        if (p.origin == "dpkg" || p.origin == "rpm" || p.origin == "apk")
          l.host_ecosystem = p.ecosystem;
    for (auto& p : *pkgs) l.packages.push_back(std::move(p));
  }
  return l;
}

void print_json(const Listing& l, std::ostream& out) {
  rapidjson::OStreamWrapper os(out);
  rapidjson::PrettyWriter<rapidjson::OStreamWrapper> w(os);
  w.SetIndent(' ', 2);
  auto str = [&](std::string_view key, std::string_view value) {
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  str("schema", "patchparty.inventory/v1");
  str("host_ecosystem", l.host_ecosystem);
  w.Key("packages");
  w.StartArray();
  for (const auto& p : l.packages) {
    w.StartObject();
    str("ecosystem", p.ecosystem);
    str("name", p.name);
    str("version", p.version);
    str("source_name", p.source_name);
    str("source_version", p.source_version);
    str("arch", p.arch);
    str("origin", p.origin);
    str("project", p.project);
    str("location", p.location);
    w.Key("dev");
    w.Bool(p.dev);
    w.Key("optional");
    w.Bool(p.optional);
    str("supplier", p.supplier);
    w.Key("third_party");
    w.Bool(p.third_party);
    str("supplier_newest", p.supplier_newest);
    w.EndObject();
  }
  w.EndArray();
  w.Key("errors");
  w.StartArray();
  for (const auto& e : l.errors) w.String(e.data(), static_cast<rapidjson::SizeType>(e.size()));
  w.EndArray();
  w.EndObject();
  out << "\n";
}

// A CycloneDX 1.5 SBOM of what was listed: the host (its os-release when this is the host
// read) and every package with its purl.
void print_cyclonedx(const Listing& l, const std::string& host_name, std::ostream& out) {
  sbom::SbomInput in;
  in.host_name = host_name;
  if (in.host_name.empty()) {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) == 0) in.host_name = name;
  }
  in.host_ecosystem = l.host_ecosystem;
  if (auto os = inventory::read_os_release(l.root)) {
    in.os_id = os->id;
    in.os_version = os->version_id;
  }
  in.tool_version = PP_VERSION;
  in.timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  in.serial_uuid = random_uuid();
  in.packages = l.packages;
  out << sbom::write_cyclonedx(in);
}

void print_table(const Listing& l, std::ostream& out) {
  TextTable t({"ORIGIN", "PROJECT", "ECOSYSTEM", "NAME", "VERSION", "SOURCE", "ARCH", "SUPPLIER"});
  for (const auto& p : l.packages) {
    std::string source = p.source_name == p.name && p.source_version == p.version
                             ? ""
                             : p.source_name + " " + p.source_version;
    t.add({p.origin, p.project, p.ecosystem, p.name + (p.dev ? " (dev)" : ""), p.version, source,
           p.arch, p.third_party ? p.supplier + " (third party)" : p.supplier});
  }
  t.print(out);
  if (::isatty(STDOUT_FILENO))
    out << l.packages.size() << " packages" << (l.errors.empty() ? "" : ", with errors") << "\n";
}

}  // namespace

void add_inventory_command(CLI::App& app, int& exit_code) {
  auto* cmd =
      app.add_subcommand("inventory", "list what this host and its projects have installed");
  auto args = std::make_shared<InventoryArgs>();
  cmd->add_option("-c,--config", args->config_file, "configuration file (default: built-in)");
  cmd->add_flag("--json", args->json, "the same as --format json");
  cmd->add_option("--format", args->format,
                  "table, json (patchparty.inventory/v1) or cyclonedx (a CycloneDX 1.5 SBOM)")
      ->check(CLI::IsMember({"table", "json", "cyclonedx"}));
  cmd->add_option("-o,--output", args->output, "write to this file instead of standard output");
  cmd->add_option("--inventory", args->inventories,
                  "KIND=PATH: read only this database, lockfile, binary, SBOM or directory "
                  "(repeatable; the kinds of `patchparty scan`)");
  cmd->add_option("--ecosystem", args->ecosystem,
                  "the OSV ecosystem of a package database given with --inventory, when its root "
                  "has no os-release");
  cmd->add_flag("--from-store", args->from_store,
                "show the daemon's latest stored snapshot instead of reading the host now");
  cmd->add_option("--state-dir", args->state_dir, "state directory (with --from-store)");
  cmd->callback([args, &exit_code] {
    auto c = load_cli_config(args->config_file);
    if (!c) {
      std::cerr << c.error().message << "\n";
      exit_code = kExitError;
      return;
    }
    if (args->from_store && !args->inventories.empty()) {
      std::cerr << "--from-store and --inventory exclude each other\n";
      exit_code = kExitError;
      return;
    }
    if (args->json) args->format = "json";
    Listing l;
    if (args->from_store) {
      auto dir = args->state_dir.empty() ? c->state_dir : std::filesystem::path(args->state_dir);
      auto store = store::Store::open_read_only(dir);
      if (!store) {
        std::cerr << "cannot read the store: " << store.error().message << "\n";
        exit_code = kExitError;
        return;
      }
      auto pkgs = store->latest_inventory();
      if (!pkgs) {
        std::cerr << pkgs.error().message << "\n";
        exit_code = kExitError;
        return;
      }
      l.packages = std::move(*pkgs);
    } else if (!args->inventories.empty()) {
      l = scan_named(*args, *c);
    } else {
      l = scan_live(*c);
    }
    std::stable_sort(l.packages.begin(), l.packages.end(), [](const Package& a, const Package& b) {
      return std::tie(a.project, a.origin, a.name) < std::tie(b.project, b.origin, b.name);
    });
    for (const auto& w : l.warnings) std::cerr << "warning: " << w << "\n";
    for (const auto& e : l.errors) std::cerr << "error: " << e << "\n";
    std::ofstream file;
    if (!args->output.empty()) {
      file.open(args->output, std::ios::binary | std::ios::trunc);
      if (!file) {
        std::cerr << "cannot write " << args->output << "\n";
        exit_code = kExitError;
        return;
      }
    }
    std::ostream& out = args->output.empty() ? std::cout : file;
    if (args->format == "json") {
      print_json(l, out);
    } else if (args->format == "cyclonedx") {
      print_cyclonedx(l, c->host_name, out);
    } else {
      print_table(l, out);
    }
    out.flush();
    if (!out) {
      std::cerr << "cannot write " << (args->output.empty() ? "standard output" : args->output)
                << "\n";
      exit_code = kExitError;
      return;
    }
    exit_code = l.errors.empty() ? kExitOk : kExitError;
  });
}

}  // namespace patchparty::cli
