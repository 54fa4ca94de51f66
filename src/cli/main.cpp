// hfserve command line. Each subcommand lives in its own cli/cmd_*.cpp file and registers itself
// here through a register_*_command(CLI::App&) function declared in cli/commands.hpp.
#include <CLI/CLI.hpp>

#include <iostream>

#include "base/version.hpp"
#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"hfserve: OpenAI-compatible server for HuggingFace models"};
  app.set_version_flag("--version", std::string(hf::version()));
  app.require_subcommand(1);
  // One line per subcommand (keep sorted).
  hf::cli::register_all_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return hf::cli::exit_code();
}
