#include "config/value.hpp"

#include <charconv>

#include "util/size.hpp"

namespace cl::config::detail {

namespace {

using nlohmann::json;
using util::invalid_argument;
using util::quote;
using util::Result;
using util::Status;

std::string shown(const json& value) {
  return quote(value.dump(), 80);
}

std::string type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a number with a fraction";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "something else";
  }
}

Status wrong_type(const json& value, std::string_view expected) {
  return invalid_argument("expected " + std::string(expected) + ", got " + type_name(value) + " " +
                          shown(value));
}

bool is_choice(std::string_view choices, std::string_view value) {
  while (!choices.empty()) {
    auto bar = choices.find('|');
    if (choices.substr(0, bar) == value) return true;
    if (bar == std::string_view::npos) break;
    choices.remove_prefix(bar + 1);
  }
  return false;
}

std::string choices_text(std::string_view choices) {
  std::string out;
  while (!choices.empty()) {
    auto bar = choices.find('|');
    if (!out.empty()) out += bar == std::string_view::npos ? " or " : ", ";
    out += choices.substr(0, bar);
    if (bar == std::string_view::npos) break;
    choices.remove_prefix(bar + 1);
  }
  return out;
}

bool parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return false;
  unsigned port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  return ec == std::errc() && end == text.data() + text.size() && port >= 1 && port <= 65535;
}

// host:port, with an IPv6 host in brackets ("[::1]:9096").
Status check_host_port(std::string_view v) {
  auto colon = v.rfind(':');
  std::string_view host = colon == std::string_view::npos ? v : v.substr(0, colon);
  bool ok = colon != std::string_view::npos && !host.empty() && parse_port(v.substr(colon + 1));
  if (ok && host.front() == '[') ok = host.size() > 2 && host.back() == ']';
  if (ok && host.front() != '[')
    ok = host.find(':') == std::string_view::npos && host.find(' ') == std::string_view::npos;
  if (!ok)
    return invalid_argument("invalid address " + quote(v) + ": expected host:port (e.g. 0.0.0.0:9096)");
  return Status::ok();
}

Status check_http_url(std::string_view v) {
  std::string_view rest;
  if (v.substr(0, 7) == "http://") {
    rest = v.substr(7);
  } else if (v.substr(0, 8) == "https://") {
    rest = v.substr(8);
  } else {
    return invalid_argument("invalid url " + quote(v) +
                            ": expected http://host:port (e.g. http://127.0.0.1:5001)");
  }
  if (rest.empty() || rest.front() == '/' || rest.find(' ') != std::string_view::npos) {
    return invalid_argument("invalid url " + quote(v) + ": no host after the scheme");
  }
  return Status::ok();
}

Status check_string(const KeySpec& spec, const std::string& v) {
  if (v.size() > kStringBytesMax)
    return invalid_argument("longer than " + std::to_string(kStringBytesMax) + " bytes");
  if (!spec.choices.empty() && !is_choice(spec.choices, v)) {
    return invalid_argument(quote(v) + " is not one of " + choices_text(spec.choices));
  }
  switch (spec.format) {
    case Format::any:
      return Status::ok();
    case Format::host_port:
      return check_host_port(v);
    case Format::host_port_or_empty:
      return v.empty() ? Status::ok() : check_host_port(v);
    case Format::http_url:
      return check_http_url(v);
  }
  return Status::ok();
}

Result<std::int64_t> integer_value(const KeySpec& spec, const json& value) {
  if (!value.is_number_integer()) return wrong_type(value, "an integer");
  bool in_range;
  std::int64_t n = 0;
  if (value.is_number_unsigned()) {
    auto u = value.get<std::uint64_t>();
    in_range = u <= static_cast<std::uint64_t>(spec.max) &&
               (spec.min <= 0 || u >= static_cast<std::uint64_t>(spec.min));
    n = in_range ? static_cast<std::int64_t>(u) : 0;
  } else {
    n = value.get<std::int64_t>();
    in_range = n >= spec.min && n <= spec.max;
  }
  if (!in_range) {
    return invalid_argument(value.dump() + " is out of range: expected an integer from " +
                            std::to_string(spec.min) + " to " + std::to_string(spec.max));
  }
  if (n == 0 && !spec.zero_allowed) {
    return invalid_argument("0 is not allowed: expected " + std::to_string(spec.min) + " or from 1 to " +
                            std::to_string(spec.max));
  }
  return n;
}

Result<util::Millis> duration_value(const KeySpec& spec, const json& value) {
  if (!value.is_string()) return wrong_type(value, "a duration string such as \"500ms\", \"30s\", \"2m\"");
  const auto& text = value.get_ref<const std::string&>();
  if (spec.off_allowed && text == "off") return util::Millis(0);
  auto d = util::parse_duration(text);
  if (!d) return d.status();
  bool over = spec.max != 0 && d->count() > spec.max;
  if (d->count() < spec.min || over) {
    std::string range = "from " + util::format_duration(util::Millis(spec.min)) +
                        (spec.max != 0 ? " to " + util::format_duration(util::Millis(spec.max)) : " up");
    return invalid_argument(quote(text) + " is out of range: expected a duration " + range);
  }
  return *d;
}

Result<std::uint64_t> size_value(const json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (!value.is_string())
    return wrong_type(value, "a size such as \"10GB\" or \"512MiB\", or a number of bytes");
  return util::parse_size(value.get_ref<const std::string&>());
}

Result<std::vector<std::string>> list_value(const json& value) {
  if (!value.is_array()) return wrong_type(value, "an array of strings");
  if (value.size() > kListEntriesMax)
    return invalid_argument("more than " + std::to_string(kListEntriesMax) + " entries");
  std::vector<std::string> out;
  for (const auto& item : value) {
    if (!item.is_string()) {
      return invalid_argument("expected an array of strings, but item " + std::to_string(out.size() + 1) +
                              " is " + type_name(item) + " " + shown(item));
    }
    const auto& s = item.get_ref<const std::string&>();
    if (s.empty() || s.size() > kStringBytesMax)
      return invalid_argument("an item is empty or too long: " + shown(item));
    out.push_back(s);
  }
  return out;
}

Result<std::map<std::string, std::string>> map_value(const json& value) {
  if (!value.is_object()) return wrong_type(value, "an object of strings such as {\"group\": \"eu\"}");
  if (value.size() > kMapEntriesMax)
    return invalid_argument("more than " + std::to_string(kMapEntriesMax) + " entries");
  std::map<std::string, std::string> out;
  for (const auto& [name, item] : value.items()) {
    if (!item.is_string())
      return invalid_argument("the value of " + quote(name) + " is not a string: " + shown(item));
    if (name.empty() || name.size() > kStringBytesMax ||
        item.get_ref<const std::string&>().size() > kStringBytesMax) {
      return invalid_argument("the entry " + quote(name) +
                              " has an empty or too long name, or too long a value");
    }
    out.emplace(name, item.get<std::string>());
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Result<json> parse_json_text(std::string_view text, std::string_view expected) {
  json v = json::parse(text, nullptr, false);
  if (v.is_discarded())
    return invalid_argument("invalid JSON " + quote(text) + ": expected " + std::string(expected));
  return v;
}

}  // namespace

Status set_value(Config& config, const KeySpec& spec, const json& value) {
  switch (spec.type) {
    case Type::string: {
      if (!value.is_string()) return wrong_type(value, "a string");
      const auto& s = value.get_ref<const std::string&>();
      CL_TRY_STATUS(check_string(spec, s));
      config.*std::get<std::string Config::*>(spec.field) = s;
      return Status::ok();
    }
    case Type::boolean:
      if (!value.is_boolean()) return wrong_type(value, "true or false");
      config.*std::get<bool Config::*>(spec.field) = value.get<bool>();
      return Status::ok();
    case Type::integer: {
      auto n = integer_value(spec, value);
      if (!n) return n.status();
      config.*std::get<std::int64_t Config::*>(spec.field) = *n;
      return Status::ok();
    }
    case Type::duration: {
      auto d = duration_value(spec, value);
      if (!d) return d.status();
      config.*std::get<util::Millis Config::*>(spec.field) = *d;
      return Status::ok();
    }
    case Type::size: {
      auto n = size_value(value);
      if (!n) return n.status();
      config.*std::get<std::uint64_t Config::*>(spec.field) = *n;
      return Status::ok();
    }
    case Type::string_list: {
      auto l = list_value(value);
      if (!l) return l.status();
      config.*std::get<std::vector<std::string> Config::*>(spec.field) = std::move(*l);
      return Status::ok();
    }
    case Type::string_map: {
      auto m = map_value(value);
      if (!m) return m.status();
      config.*std::get<std::map<std::string, std::string> Config::*>(spec.field) = std::move(*m);
      return Status::ok();
    }
  }
  CL_UNREACHABLE("every config type is handled");
}

Result<json> json_from_env_text(const KeySpec& spec, std::string_view text) {
  switch (spec.type) {
    case Type::string:
    case Type::duration:
      return json(std::string(text));
    case Type::size:
      if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos) {
        std::uint64_t n = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (ec == std::errc() && end == text.data() + text.size()) return json(n);
      }
      return json(std::string(text));
    case Type::boolean:
      if (text == "true" || text == "1") return json(true);
      if (text == "false" || text == "0") return json(false);
      return invalid_argument("expected true, false, 1 or 0, got " + quote(text));
    case Type::integer: {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return invalid_argument("expected an integer from " + std::to_string(spec.min) + " to " +
                                std::to_string(spec.max) + ", got " + quote(text));
      }
      return json(n);
    }
    case Type::string_list: {
      if (!text.empty() && text.front() == '[') return parse_json_text(text, "an array of strings");
      json out = json::array();
      std::string_view rest = text;
      while (true) {
        auto comma = rest.find(',');
        out.push_back(std::string(trim(rest.substr(0, comma))));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      return out;
    }
    case Type::string_map:
      break;
  }
  // string_map
  if (!text.empty() && text.front() == '{') return parse_json_text(text, "an object of strings");
  json out = json::object();
  std::string_view rest = text;
  while (true) {
    auto comma = rest.find(',');
    std::string_view pair = trim(rest.substr(0, comma));
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) {
      return invalid_argument("expected name=value pairs separated by commas, got " + quote(pair));
    }
    out[std::string(trim(pair.substr(0, eq)))] = std::string(trim(pair.substr(eq + 1)));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

nlohmann::ordered_json get_value(const Config& config, const KeySpec& spec) {
  using nlohmann::ordered_json;
  switch (spec.type) {
    case Type::string:
      return config.*std::get<std::string Config::*>(spec.field);
    case Type::boolean:
      return config.*std::get<bool Config::*>(spec.field);
    case Type::integer:
      return config.*std::get<std::int64_t Config::*>(spec.field);
    case Type::duration:
      return util::format_duration(config.*std::get<util::Millis Config::*>(spec.field));
    case Type::size:
      return util::format_size(config.*std::get<std::uint64_t Config::*>(spec.field));
    case Type::string_list:
      return config.*std::get<std::vector<std::string> Config::*>(spec.field);
    case Type::string_map:
      break;
  }
  return config.*std::get<std::map<std::string, std::string> Config::*>(spec.field);
}

}  // namespace cl::config::detail
