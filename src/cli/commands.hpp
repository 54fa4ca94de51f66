// Registration of hfserve's subcommands. Each cmd_<name>.cpp defines register_<name>_command,
// which adds a CLI11 subcommand whose callback does the work and sets the exit code via
// set_exit_code. commands.cpp lists them all in register_all_commands.
#pragma once
#include <CLI/CLI.hpp>

namespace hf::cli {
void register_all_commands(CLI::App& app);
void set_exit_code(int code);
int exit_code();
}  // namespace hf::cli
