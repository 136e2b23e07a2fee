// Printing the configuration and documenting its keys, both from the key table.
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "config/value.hpp"
#include "util/duration.hpp"

namespace cl::config {

namespace {

std::string type_text(const KeySpec& spec) {
  switch (spec.type) {
    case Type::string:
      if (!spec.choices.empty()) {
        std::string c(spec.choices);
        return "one of " + c;
      }
      switch (spec.format) {
        case Format::host_port:
          return "host:port";
        case Format::host_port_or_empty:
          return "host:port or empty";
        case Format::http_url:
          return "http(s) url";
        case Format::any:
          return "string";
      }
      return "string";
    case Type::boolean:
      return "true|false";
    case Type::integer:
      return "integer " + std::to_string(spec.min) + ".." + std::to_string(spec.max);
    case Type::duration: {
      std::string range = util::format_duration(util::Millis(spec.min)) + ".." +
                          (spec.max != 0 ? util::format_duration(util::Millis(spec.max)) : "");
      return std::string("duration ") + range + (spec.off_allowed ? " or off" : "");
    }
    case Type::size:
      return "size (bytes, 10GB, 512MiB)";
    case Type::string_list:
      return "list of strings";
    case Type::string_map:
      return "object of strings";
  }
  return "";
}

// Wrap text to width columns, each line after the first indented by indent spaces.
std::string wrap(std::string_view text, std::size_t width, std::size_t indent) {
  std::string out, line;
  while (!text.empty()) {
    auto space = text.find(' ');
    std::string_view word = text.substr(0, space);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n" + std::string(indent, ' ');
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return out + line;
}

}  // namespace

std::string defaults_json() {
  return to_json(defaults());
}

std::string to_json(const Config& config) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  for (const auto& spec : key_specs()) doc[std::string(spec.name)] = detail::get_value(config, spec);
  return doc.dump(2) + "\n";
}

std::string documentation_text() {
  std::string out =
      "Keys of config.json (all optional). Precedence: defaults < profile wan < config.json < environment "
      "CL_<KEY> < command-line flags.\n";
  for (const auto& spec : key_specs()) {
    out += "\n";
    out += std::string(spec.name) + "  (" + type_text(spec) + ")\n";
    out += "    default: " + std::string(spec.default_json);
    if (!spec.wan_default.empty()) out += "  (profile wan: " + std::string(spec.wan_default) + ")";
    out += "\n    environment: " + env_name(spec.name) + "\n";
    out += "    " + wrap(spec.doc, 96, 4) + "\n";
  }
  return out;
}

}  // namespace cl::config
