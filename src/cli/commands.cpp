#include "cli/commands.hpp"

namespace hf::cli {
namespace {
int g_exit_code = 0;
}
void set_exit_code(int code) {
  g_exit_code = code;
}
int exit_code() {
  return g_exit_code;
}

// Each subcommand file provides one of these (keep sorted; one line each).
void register_bench_command(CLI::App& app);
void register_classify_command(CLI::App& app);
void register_discover_command(CLI::App& app);
void register_embed_command(CLI::App& app);
void register_generate_command(CLI::App& app);
void register_hardware_command(CLI::App& app);
void register_keys_command(CLI::App& app);
void register_make_model_command(CLI::App& app);
void register_serve_command(CLI::App& app);
void register_tokenize_command(CLI::App& app);
void register_usage_command(CLI::App& app);
void register_version_command(CLI::App& app);

void register_all_commands(CLI::App& app) {
  register_bench_command(app);
  register_classify_command(app);
  register_discover_command(app);
  register_embed_command(app);
  register_generate_command(app);
  register_hardware_command(app);
  register_keys_command(app);
  register_make_model_command(app);
  register_serve_command(app);
  register_tokenize_command(app);
  register_usage_command(app);
  register_version_command(app);
}
}  // namespace hf::cli
