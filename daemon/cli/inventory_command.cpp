#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "collectors/inventory/inventory_plan.h"
#include "config/config.h"
#include "core/store/store.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/config_options.h"
#include "daemon/cli/exit_codes.h"
#include "daemon/cli/text_table.h"

namespace patchparty::cli {

namespace {

struct InventoryArgs {
  std::string config_file;
  std::string state_dir;
  bool json = false;
  bool from_store = false;
};

struct Listing {
  std::string host_ecosystem;
  std::vector<Package> packages;
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
};

Listing scan_live(const config::Config& c) {
  Listing l;
  auto plan = inventory::plan_inventory(c);
  l.host_ecosystem = plan.host_ecosystem;
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
  cmd->add_flag("--json", args->json, "JSON for tools instead of a table");
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
    } else {
      l = scan_live(*c);
    }
    std::stable_sort(l.packages.begin(), l.packages.end(), [](const Package& a, const Package& b) {
      return std::tie(a.project, a.origin, a.name) < std::tie(b.project, b.origin, b.name);
    });
    for (const auto& w : l.warnings) std::cerr << "warning: " << w << "\n";
    for (const auto& e : l.errors) std::cerr << "error: " << e << "\n";
    if (args->json) {
      print_json(l, std::cout);
    } else {
      print_table(l, std::cout);
    }
    exit_code = l.errors.empty() ? kExitOk : kExitError;
  });
}

}  // namespace patchparty::cli
