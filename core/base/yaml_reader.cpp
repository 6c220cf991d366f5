#include "core/base/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace patchparty::config {

std::string YamlReader::join(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return std::string(path) + "." + std::string(key);
}

void YamlReader::error(const YAML::Node& node, std::string_view path, std::string_view message) {
  YAML::Mark m = node.Mark();
  std::string where = file_;
  if (!m.is_null()) where += ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
  errors_.push_back(where + ": " + (path.empty() ? std::string("(top level)") : std::string(path)) +
                    ": " + std::string(message));
}

void YamlReader::error_at(int line, int column, std::string_view message) {
  errors_.push_back(file_ + ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1) +
                    ": " + std::string(message));
}

bool YamlReader::expect_map(const YAML::Node& node, std::string_view path,
                            std::initializer_list<std::string_view> allowed) {
  if (!node.IsMap()) {
    error(node, path, "expected a mapping of keys");
    return false;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    // By value: the iterator hands out a temporary pair, so a reference would dangle.
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      error(key, path, "keys must be plain strings");
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), key.Scalar()) == allowed.end()) {
      std::string known;
      for (auto a : allowed) known += (known.empty() ? "" : ", ") + std::string(a);
      error(key, join(path, key.Scalar()), "unknown key (known here: " + known + ")");
    }
  }
  return true;
}

bool YamlReader::expect_list(const YAML::Node& node, std::string_view path) {
  if (!node.IsSequence()) {
    error(node, path, "expected a list");
    return false;
  }
  return true;
}

std::optional<std::string> YamlReader::scalar(const YAML::Node& map, std::string_view path,
                                              std::string_view key, std::string_view what) {
  const YAML::Node node = map[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  if (!node.IsScalar()) {
    error(node, join(path, key), "expected " + std::string(what));
    return std::nullopt;
  }
  return node.Scalar();
}

void YamlReader::read(const YAML::Node& map, std::string_view path, std::string_view key,
                      std::string& out) {
  if (auto s = scalar(map, path, key, "a string")) out = *s;
}

void YamlReader::read(const YAML::Node& map, std::string_view path, std::string_view key,
                      bool& out) {
  auto s = scalar(map, path, key, "true or false");
  if (!s) return;
  if (*s == "true" || *s == "yes" || *s == "on") {
    out = true;
  } else if (*s == "false" || *s == "no" || *s == "off") {
    out = false;
  } else {
    error(map[std::string(key)], join(path, key), "expected true or false, got '" + *s + "'");
  }
}

void YamlReader::read(const YAML::Node& map, std::string_view path, std::string_view key,
                      std::int64_t& out, std::int64_t min, std::int64_t max) {
  auto s = scalar(map, path, key, "an integer");
  if (!s) return;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || end != s->data() + s->size()) {
    error(map[std::string(key)], join(path, key), "expected an integer, got '" + *s + "'");
  } else if (v < min || v > max) {
    error(map[std::string(key)], join(path, key),
          *s + " is out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  } else {
    out = v;
  }
}

void YamlReader::read(const YAML::Node& map, std::string_view path, std::string_view key,
                      double& out, double min, double max) {
  auto s = scalar(map, path, key, "a number");
  if (!s) return;
  double v = 0;
  auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || end != s->data() + s->size() || !std::isfinite(v)) {
    error(map[std::string(key)], join(path, key), "expected a number, got '" + *s + "'");
  } else if (v < min || v > max) {
    error(map[std::string(key)], join(path, key), *s + " is out of range");
  } else {
    out = v;
  }
}

void YamlReader::read(const YAML::Node& map, std::string_view path, std::string_view key,
                      Duration& out, Duration min) {
  auto s = scalar(map, path, key, "a duration");
  if (!s) return;
  auto d = parse_duration(*s);
  if (!d) {
    error(map[std::string(key)], join(path, key), d.error().message);
  } else if (*d < min) {
    error(map[std::string(key)], join(path, key),
          "must be at least " + format_duration(min) + ", got " + *s);
  } else {
    out = *d;
  }
}

void YamlReader::read_path(const YAML::Node& map, std::string_view path, std::string_view key,
                           std::filesystem::path& out) {
  auto s = scalar(map, path, key, "a path");
  if (!s) return;
  if (s->empty() || (*s)[0] != '/') {
    error(map[std::string(key)], join(path, key), "'" + *s + "' is not an absolute path");
  } else if (s->find('\0') != std::string::npos) {
    error(map[std::string(key)], join(path, key), "path contains a NUL byte");
  } else {
    out = *s;
  }
}

Result<void> validate_url(std::string_view url) {
  auto starts = [&](std::string_view p) { return url.substr(0, p.size()) == p; };
  if (url.find_first_of(" \t\r\n") != std::string_view::npos)
    return fail(Errc::invalid_argument, "URL '" + std::string(url) + "' contains white space");
  if (starts("file:///")) return {};
  std::string_view rest;
  if (starts("https://")) {
    rest = url.substr(8);
  } else if (starts("http://")) {
    rest = url.substr(7);
  } else {
    return fail(Errc::invalid_argument,
                "URL '" + std::string(url) + "' must start with http://, https:// or file:///");
  }
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty() || host.front() == ':')
    return fail(Errc::invalid_argument, "URL '" + std::string(url) + "' has no host");
  return {};
}

void YamlReader::read_url(const YAML::Node& map, std::string_view path, std::string_view key,
                          std::string& out) {
  auto s = scalar(map, path, key, "a URL");
  if (!s) return;
  if (auto ok = validate_url(*s); !ok) {
    error(map[std::string(key)], join(path, key), ok.error().message);
  } else {
    out = *s;
  }
}

template <class Choices>
void YamlReader::read_choice(const YAML::Node& map, std::string_view path, std::string_view key,
                             std::string& out, const Choices& choices) {
  auto s = scalar(map, path, key, "a string");
  if (!s) return;
  if (std::find(choices.begin(), choices.end(), *s) == choices.end()) {
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
    error(map[std::string(key)], join(path, key), "'" + *s + "' is not one of: " + list);
  } else {
    out = *s;
  }
}

void YamlReader::read_enum(const YAML::Node& map, std::string_view path, std::string_view key,
                           std::string& out, std::initializer_list<std::string_view> choices) {
  read_choice(map, path, key, out, choices);
}

void YamlReader::read_enum(const YAML::Node& map, std::string_view path, std::string_view key,
                           std::string& out, const std::vector<std::string>& choices) {
  read_choice(map, path, key, out, choices);
}

void YamlReader::read_strings(const YAML::Node& map, std::string_view path, std::string_view key,
                              std::vector<std::string>& out) {
  const YAML::Node node = map[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) return;
  if (!expect_list(node, join(path, key))) return;
  std::vector<std::string> values;
  for (std::size_t i = 0; i < node.size(); ++i) {
    if (!node[i].IsScalar()) {
      error(node[i], join(path, key) + "[" + std::to_string(i) + "]", "expected a string");
      continue;
    }
    values.push_back(node[i].Scalar());
  }
  out = std::move(values);
}

}  // namespace patchparty::config
