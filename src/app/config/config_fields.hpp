// The table of server_config fields: for each its flag, environment variable, TOML key, help text,
// parser and printer. Adding a setting means adding one row in config_fields.cpp (and the member).
// Usage: for (const config_field& f : config_fields()) std::cout << f.flag << " " << f.env << "\n";
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "app/config/server_config.hpp"

namespace hf::app {

enum class field_kind {
  scalar,   // one value: the last one given wins
  list,     // many values; env/TOML strings are split on `separator`
  boolean,  // --x / --no-x on the command line
};

// Passed to parsers: what they need beyond the text.
struct parse_context {
  std::string_view home;  // $HOME, for "~/" in paths; empty when unknown
};

struct config_field {
  std::string_view name;        // TOML key, and the key in config_sources::flags
  std::string_view flag;        // "--port"
  std::string_view env;         // "HF_SERVER_PORT"
  std::string_view value_name;  // "PORT", shown in --help
  std::string_view help;
  field_kind kind = field_kind::scalar;
  char separator = 0;        // list fields: separator inside one env/TOML string
  bool split_flags = false;  // list fields: also split each flag value on `separator`
  // Stores `values` (never empty) into the config; throws invalid_value.
  void (*apply)(server_config& cfg, const std::vector<std::string>& values,
                const parse_context& ctx);
  std::string (*show)(const server_config& cfg);  // the current value, as a user would write it
};

const std::vector<config_field>& config_fields();
const config_field* find_config_field(std::string_view name);  // nullptr when unknown

inline constexpr std::string_view k_config_flag = "--config";
inline constexpr std::string_view k_config_env = "HF_SERVER_CONFIG";

}  // namespace hf::app
