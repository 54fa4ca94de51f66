// `hfserve discover`: lists the models the server would find (--model-dir folders, the demo models
// folder when it exists, then the HuggingFace hub cache) as a table, or as a JSON array with
// --json. Settings not given as flags come from the environment and config file, as for `hfserve
// serve`.
#include <algorithm>
#include <array>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/config/server_config.hpp"
#include "cli/commands.hpp"
#include "serving/registry/discovery.hpp"

namespace hf::cli {
namespace {

struct discover_args {
  std::vector<std::string> model_dirs;
  std::string hub_cache;
  bool no_hub = false;
  bool json = false;
};

std::string scaled(double v, const char* const* units, size_t n_units, double step) {
  size_t u = 0;
  while (v >= step && u + 1 < n_units) {
    v /= step;
    ++u;
  }
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), u == 0 ? "%.0f%s" : "%.1f%s", v, units[u]);
  return buf.data();
}

std::string human_params(const std::optional<std::uint64_t>& p) {
  static const char* const k_units[] = {"", "K", "M", "B", "T"};
  return p ? scaled(static_cast<double>(*p), k_units, 5, 1000.0) : "-";
}

std::string human_bytes(std::uint64_t b) {
  static const char* const k_units[] = {" B", " KiB", " MiB", " GiB", " TiB"};
  return scaled(static_cast<double>(b), k_units, 5, 1024.0);
}

std::string status(const serving::model_entry& m) {
  return !m.ok() ? "error" : m.supported ? "ok" : "unsupported";
}

void print_table(const std::vector<serving::model_entry>& models) {
  std::vector<std::array<std::string, 7>> rows{
      {"ID", "ARCH", "TASK", "PARAMS", "DTYPE", "SIZE", "STATUS"}};
  for (const auto& m : models)
    rows.push_back({m.id, m.architecture.empty() ? "-" : m.architecture,
                    std::string(serving::model_task_name(m.task)), human_params(m.parameters),
                    m.dtype.empty() ? "-" : m.dtype, human_bytes(m.size_bytes), status(m)});
  std::array<size_t, 7> width{};
  for (const auto& r : rows)
    for (size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  for (const auto& r : rows) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c) {
      line += r[c];
      if (c + 1 < r.size()) line += std::string(width[c] - r[c].size() + 2, ' ');
    }
    std::cout << line << "\n";
  }
  for (const auto& m : models) {
    if (!m.ok())
      std::cout << "\n" << m.id << ": " << m.error;
    else if (!m.supported)
      std::cout << "\n" << m.id << ": " << m.unsupported_reason;
  }
  if (std::any_of(models.begin(), models.end(), [](const auto& m) { return !m.supported; }))
    std::cout << "\n";
}

void run(const discover_args& a) {
  app::config_sources src;
  if (!a.model_dirs.empty()) src.flags["model_dirs"] = a.model_dirs;
  if (!a.hub_cache.empty()) src.flags["hub_cache"] = {a.hub_cache};
  const app::server_config cfg = app::load_config(src, app::process_environment());
  obs::configure_logging({cfg.log_level, cfg.log_format, &std::cerr});

  serving::discovery_options opts;
  opts.model_dirs = cfg.model_dirs;
  std::error_code ec;
  if (std::filesystem::is_directory(cfg.demo_models_dir, ec))
    opts.model_dirs.push_back(cfg.demo_models_dir);
  if (!a.no_hub) opts.hub_cache = cfg.hub_cache;
  const auto models = serving::discover(opts);

  if (a.json) {
    auto out = nlohmann::json::array();
    for (const auto& m : models) out.push_back(serving::to_json(m));
    std::cout << out.dump(2) << "\n";
    return;
  }
  if (models.empty()) {
    std::cerr << "hfserve discover: no models found (looked in the --model-dir folders, "
              << cfg.demo_models_dir.string() << " and " << cfg.hub_cache.string() << ")\n";
    return;
  }
  print_table(models);
}

}  // namespace

void register_discover_command(CLI::App& app) {
  auto args = std::make_shared<discover_args>();
  auto* cmd =
      app.add_subcommand("discover", "List the models found in model folders and the HF hub cache");
  cmd->add_option(
         "--model-dir", args->model_dirs,
         "Folder of model folders, or one model folder (repeatable)  [env HF_SERVER_MODEL_DIRS]")
      ->type_name("DIR");
  cmd->add_option("--hub-cache", args->hub_cache,
                  "HuggingFace hub cache  [env HF_HUB_CACHE; default $HF_HOME/hub or "
                  "~/.cache/huggingface/hub]")
      ->type_name("DIR");
  cmd->add_flag("--no-hub", args->no_hub, "Do not look in the hub cache");
  cmd->add_flag("--json", args->json, "Print a JSON array with every field of every model");
  cmd->callback([args] {
    try {
      run(*args);
    } catch (const std::exception& e) {
      std::cerr << "hfserve discover: " << e.what() << "\n";
      set_exit_code(1);
    }
  });
}

}  // namespace hf::cli
