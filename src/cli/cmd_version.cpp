// `hfserve version`: prints the version.
#include <iostream>

#include "base/version.hpp"
#include "cli/commands.hpp"

namespace hf::cli {
void register_version_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("version", "Print the hfserve version");
  cmd->callback([] { std::cout << "hfserve " << hf::version() << "\n"; });
}
}  // namespace hf::cli
