// add_serve_flags: one CLI11 option per config field. The options only record what was given;
// parsing and precedence stay in load_config so that every source reports errors the same way.
#include <CLI/CLI.hpp>

#include "app/config/config_fields.hpp"
#include "app/config/server_config.hpp"

namespace hf::app {
namespace {

std::string describe(const config_field& f) {
  return std::string(f.help) + "  [env " + std::string(f.env) + "] [default: " +
         (f.show(server_config{}).empty() ? std::string("none") : f.show(server_config{})) + "]";
}

}  // namespace

void add_serve_flags(CLI::App& cmd, config_sources& sources) {
  for (const auto& f : config_fields()) {
    const std::string name(f.name);
    switch (f.kind) {
      case field_kind::boolean: {
        // CLI11 counts --x as +1 and --no-x (or --x=false) as -1 and passes the sum.
        const std::string spec = std::string(f.flag) + ",!--no-" + std::string(f.flag.substr(2));
        cmd.add_flag_function(
            spec,
            [&sources, name](std::int64_t n) { sources.flags[name] = {n > 0 ? "true" : "false"}; },
            describe(f));
        break;
      }
      case field_kind::list:
        cmd.add_option_function<std::vector<std::string>>(
               std::string(f.flag),
               [&sources, name](const std::vector<std::string>& v) { sources.flags[name] = v; },
               describe(f))
            ->type_name(std::string(f.value_name))
            ->expected(1, -1)
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
        break;
      case field_kind::scalar:
        cmd.add_option_function<std::string>(
               std::string(f.flag),
               [&sources, name](const std::string& v) { sources.flags[name] = {v}; }, describe(f))
            ->type_name(std::string(f.value_name))
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
        break;
    }
  }
  cmd.add_option_function<std::string>(
         std::string(k_config_flag), [&sources](const std::string& v) { sources.config_file = v; },
         "TOML file with settings (keys are the option names with '_', e.g. max_queue = 64)  "
         "[env " +
             std::string(k_config_env) + "]")
      ->type_name("FILE");
  cmd.footer(
      "Precedence: command-line flag > environment variable > config file > default.\n"
      "Lists: repeat the flag or pass several values; ',' (':' for model dirs) separates items in "
      "env vars.");
}

}  // namespace hf::app
