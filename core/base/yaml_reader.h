// Walks a YAML document against the expected schema, so every error can name the file, line,
// column and key path, and unknown keys are refused rather than silently ignored.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/duration.h"
#include "core/base/result.h"

namespace patchparty::config {

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  // Collected errors, each "file:line:col: key.path: message"; reading continues past an error
  // so one run reports every mistake.
  const std::vector<std::string>& errors() const { return errors_; }
  void error(const YAML::Node& node, std::string_view path, std::string_view message);
  void error_at(int line, int column, std::string_view message);

  // Refuses keys of a mapping that are not in `allowed`. False when `node` is not a mapping.
  bool expect_map(const YAML::Node& node, std::string_view path,
                  std::initializer_list<std::string_view> allowed);
  bool expect_list(const YAML::Node& node, std::string_view path);

  // Each reader leaves `out` untouched when the key is absent or null, and reports a wrong type.
  void read(const YAML::Node& map, std::string_view path, std::string_view key, std::string& out);
  void read(const YAML::Node& map, std::string_view path, std::string_view key, bool& out);
  void read(const YAML::Node& map, std::string_view path, std::string_view key, std::int64_t& out,
            std::int64_t min, std::int64_t max);
  void read(const YAML::Node& map, std::string_view path, std::string_view key, double& out,
            double min, double max);
  void read(const YAML::Node& map, std::string_view path, std::string_view key, Duration& out,
            Duration min);
  // An absolute path; relative paths are refused because the daemon's working directory is "/".
  void read_path(const YAML::Node& map, std::string_view path, std::string_view key,
                 std::filesystem::path& out);
  // http(s):// or file:// URL with a host (for http) and no spaces.
  void read_url(const YAML::Node& map, std::string_view path, std::string_view key,
                std::string& out);
  void read_enum(const YAML::Node& map, std::string_view path, std::string_view key,
                 std::string& out, std::initializer_list<std::string_view> choices);
  // The choices a registry holds (config/kinds.h), in its order.
  void read_enum(const YAML::Node& map, std::string_view path, std::string_view key,
                 std::string& out, const std::vector<std::string>& choices);
  void read_strings(const YAML::Node& map, std::string_view path, std::string_view key,
                    std::vector<std::string>& out);

  static std::string join(std::string_view path, std::string_view key);

 private:
  template <class Choices>
  void read_choice(const YAML::Node& map, std::string_view path, std::string_view key,
                   std::string& out, const Choices& choices);
  std::optional<std::string> scalar(const YAML::Node& map, std::string_view path,
                                    std::string_view key, std::string_view what);
  std::string file_;
  std::vector<std::string> errors_;
};

[[nodiscard]] Result<void> validate_url(std::string_view url);

}  // namespace patchparty::config
