// `hfserve hardware [--json]`: what this machine offers (CPU, SIMD, memory, accelerators), as a
// table or as the JSON the server reports on /status.
#include <iostream>

#include "cli/commands.hpp"
#include "hardware/hardware.hpp"

namespace hf::cli {
void register_hardware_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("hardware", "Show CPU, SIMD features, memory and accelerators");
  auto as_json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *as_json, "Print JSON instead of a table");
  cmd->callback([as_json] {
    hf::hw::hardware_info info = hf::hw::detect();
    if (*as_json) std::cout << hf::hw::to_json(info).dump(2) << "\n";
    else std::cout << hf::hw::to_table(info);
    set_exit_code(0);
  });
}
}  // namespace hf::cli
