#include "cli/commands.hpp"

namespace hf::cli {
namespace {
int g_exit_code = 0;
}
void set_exit_code(int code) { g_exit_code = code; }
int exit_code() { return g_exit_code; }

// Each subcommand file provides one of these (keep sorted; one line each).
void register_version_command(CLI::App& app);

void register_all_commands(CLI::App& app) {
  register_version_command(app);
}
}  // namespace hf::cli
