// Java (JVM) libraries a Maven project declares, from its pom.xml.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/inventory/inventory_kind.h"
#include "collectors/inventory/inventory_source.h"
#include "core/base/bounded_file.h"
#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::inventory {

// A pom.xml is not a lockfile: it declares the project's direct dependencies, and Maven resolves
// the rest at build time from parent POMs, imported BOMs and the repositories. This reader does
// none of that: no network, no parent POM fetching, no transitive resolution. The packages are
// the declared direct dependencies whose version the file itself pins, so a project's inventory
// from a pom.xml is a floor, not the whole classpath.
//
// One Package per `<project><dependencies><dependency>`, in file order: ecosystem "Maven",
// origin "maven", name "groupId:artifactId", location `label`; `<scope>test</scope>` sets dev,
// `<optional>true</optional>` sets optional. Rules:
//   - `${name}` in groupId, artifactId and version is replaced from `<properties>`,
//     `${project.version}` (the project's `<version>`, else its parent's),
//     `${project.parent.version}`, `${project.groupId}` (else the parent's) and
//     `${project.artifactId}`; repeatedly, for properties defined through other properties, but
//     at most 16 rounds and 4 KiB, so a cycle or an exponential definition ends unresolved;
//   - a dependency without a `<version>` takes the one `<dependencyManagement>` gives its
//     groupId:artifactId. Entries of `<dependencyManagement>` are constraints, not dependencies,
//     and are not packages themselves (osv-detector lists them, and lets them override the
//     dependency's own version; Maven does neither for a direct dependency);
//   - dependencies of `<profiles>` and `<build><plugins>` are not read.
// Never guessed, skipped and listed in `unresolved` ("group:artifact: why"): a property the file
// does not define (`${env.X}`, one from a parent POM), a dependency with no version here (it
// comes from a parent POM or an imported BOM), and a version range such as `[1.0,2.0)` (an
// unpinned version: which one is built depends on the repository on the day).
// Invalid XML is data_loss with the line; XML whose root is not `<project>`, a dependency without
// groupId or artifactId, or names and versions that are not printable ASCII without spaces are
// invalid_argument.
struct MavenPomContents {
  std::vector<Package> packages;
  std::vector<std::string> unresolved;
};

[[nodiscard]] Result<MavenPomContents> parse_maven_pom_details(std::string_view xml,
                                                               std::string_view project,
                                                               std::string_view label = "pom.xml");

// The packages of parse_maven_pom_details.
[[nodiscard]] Result<std::vector<Package>> parse_maven_pom(std::string_view xml,
                                                           std::string_view project,
                                                           std::string_view label = "pom.xml");

class MavenPom final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  MavenPom(std::filesystem::path pom_file, std::string project,
           std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "maven"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;
  // The dependencies the last scan() skipped, "group:artifact: why".
  const std::vector<std::string>& unresolved() const { return unresolved_; }
  std::vector<std::string> notes() const override {
    std::vector<std::string> out;
    for (const auto& line : unresolved_) out.push_back("not inventoried: " + line);
    return out;
  }

 private:
  std::filesystem::path pom_file_;
  std::string project_;
  std::size_t max_bytes_;
  std::vector<std::string> unresolved_;
};

// "maven": a project's pom.xml (register_builtin_sources).
InventoryKind maven_inventory_kind();

}  // namespace patchparty::inventory
