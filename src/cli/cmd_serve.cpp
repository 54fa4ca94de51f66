// `hfserve serve`: starts the OpenAI-compatible server. Every flag has an environment variable and
// a TOML key (precedence: flag > env > config file > default); `hfserve serve --help` lists them.
#include <iostream>

#include "app/config/server_config.hpp"
#include "app/server/server_app.hpp"
#include "cli/commands.hpp"

namespace hf::cli {
void register_serve_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("serve", "Serve models through the OpenAI-compatible HTTP API");
  auto sources = std::make_shared<app::config_sources>();
  app::add_serve_flags(*cmd, *sources);
  cmd->callback([sources] {
    try {
      app::server_config cfg = app::load_config(*sources, app::process_environment());
      set_exit_code(app::run_server(cfg));
    } catch (const app::config_error& e) {
      std::cerr << "hfserve serve: " << e.what() << "\n";
      set_exit_code(2);
    }
  });
}
}  // namespace hf::cli
