#include <iostream>
#include <string>

#include "core/versions/comparator_range.h"
#include "core/versions/composer_constraint.h"
#include "core/versions/npm_range.h"
#include "core/versions/version_scheme.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/exit_codes.h"

namespace patchparty::cli {

namespace {

char order_symbol(int c) {
  return c < 0 ? '<' : c > 0 ? '>' : '=';
}

// Batch mode: "A B" per line in, one of "<", "=", ">" per line out, or "error: ..." for a pair
// that cannot be compared; the run then exits 2 but still answers every line.
int compare_stream(const versions::VersionScheme& scheme) {
  std::ios::sync_with_stdio(false);
  std::string line;
  int rc = kExitOk;
  while (std::getline(std::cin, line)) {
    std::string_view l(line);
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.remove_suffix(1);
    auto sep = l.find_first_of(" \t");
    if (sep == std::string_view::npos) {
      std::cout << "error: expected two versions\n";
      rc = kExitError;
      continue;
    }
    std::string_view a = l.substr(0, sep), b = l.substr(l.find_first_not_of(" \t", sep));
    auto c = scheme.compare(a, b);
    if (c) {
      std::cout << order_symbol(*c) << '\n';
    } else {
      std::cout << "error: " << c.error().message << '\n';
      rc = kExitError;
    }
  }
  std::cout.flush();
  return rc;
}

}  // namespace

void add_versions_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("versions", "compare versions with an ecosystem's own rules");
  cmd->require_subcommand(1);

  struct Args {
    std::string ecosystem, a, b, version, range;
  };
  auto args = std::make_shared<Args>();

  auto* compare = cmd->add_subcommand(
      "compare", "print <, = or > for A B; without A B, read 'A B' lines from stdin");
  compare->add_option("-e,--ecosystem", args->ecosystem, "OSV ecosystem: Debian:12, npm, PyPI...")
      ->required();
  compare->add_option("a", args->a, "first version");
  compare->add_option("b", args->b, "second version");
  compare->callback([args, &exit_code] {
    auto scheme = versions::scheme_for_ecosystem(args->ecosystem);
    if (!scheme) {
      std::cerr << scheme.error().message << "\n";
      exit_code = kExitError;
      return;
    }
    if (args->a.empty() && args->b.empty()) {
      exit_code = compare_stream(**scheme);
      return;
    }
    if (args->a.empty() || args->b.empty()) {
      std::cerr << "versions compare: give both A and B, or neither to read pairs from stdin\n";
      exit_code = kExitError;
      return;
    }
    auto c = (*scheme)->compare(args->a, args->b);
    if (!c) {
      std::cerr << c.error().message << "\n";
      exit_code = kExitError;
      return;
    }
    std::cout << order_symbol(*c) << "\n";
    exit_code = kExitOk;
  });

  auto* satisfies = cmd->add_subcommand(
      "satisfies",
      "exit 0 when VERSION is in RANGE, 1 when not, 2 on error. RANGE is npm syntax "
      "for npm, Composer syntax for Packagist, else '>= A, < B || = C'");
  satisfies->add_option("-e,--ecosystem", args->ecosystem, "OSV ecosystem")->required();
  satisfies->add_option("version", args->version, "installed version")->required();
  satisfies->add_option("range", args->range, "range expression")->required();
  satisfies->callback([args, &exit_code] {
    auto scheme = versions::scheme_for_ecosystem(args->ecosystem);
    if (!scheme) {
      std::cerr << scheme.error().message << "\n";
      exit_code = kExitError;
      return;
    }
    std::string_view base = std::string_view(args->ecosystem).substr(0, args->ecosystem.find(':'));
    Result<bool> r =
        base == "npm" ? versions::npm_satisfies(args->version, args->range)
        : base == "Packagist"
            ? versions::composer_satisfies(args->version, args->range)
            : versions::comparator_range_satisfied(**scheme, args->version, args->range);
    if (!r) {
      std::cerr << r.error().message << "\n";
      exit_code = kExitError;
      return;
    }
    std::cout << (*r ? "yes" : "no") << "\n";
    exit_code = *r ? kExitOk : kExitNegative;
  });
}

}  // namespace patchparty::cli
