// `hfserve usage --db FILE [--since 1h] [--json]`: what each API key used on each model, from the
// usage log a server writes into its key database (one row per request).
//   hfserve usage --db hfserve.db --since 24h
//   KEY  MODEL  REQUESTS  ERRORS  PROMPT_TOKENS  COMPLETION_TOKENS  MEAN_MS  MAX_MS
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/config/value_parsers.hpp"
#include "auth/usage_log.hpp"
#include "cli/commands.hpp"

namespace hf::cli {
namespace {

struct usage_args {
  std::string db = "./hfserve.db";
  std::string since;  // a duration back from now; empty: everything
  bool json = false;
};

std::int64_t since_ms(const std::string& since) {
  if (since.empty()) return 0;
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return (now - app::parse_duration(since)).count();
}

std::string shown(const std::string& name) {
  return name.empty() ? "-" : name;
}

void print_table(const std::vector<auth::usage_summary>& rows) {
  std::cout << std::left << std::setw(20) << "KEY" << std::setw(24) << "MODEL" << std::right
            << std::setw(10) << "REQUESTS" << std::setw(8) << "ERRORS" << std::setw(15)
            << "PROMPT_TOKENS" << std::setw(19) << "COMPLETION_TOKENS" << std::setw(10) << "MEAN_MS"
            << std::setw(10) << "MAX_MS"
            << "\n";
  for (const auto& r : rows) {
    std::cout << std::left << std::setw(20) << shown(r.key_name) << std::setw(24) << shown(r.model)
              << std::right << std::setw(10) << r.requests << std::setw(8) << r.errors
              << std::setw(15) << r.prompt_tokens << std::setw(19) << r.completion_tokens
              << std::fixed << std::setprecision(1) << std::setw(10) << r.mean_latency_ms
              << std::setw(10) << r.max_latency_ms << "\n";
  }
}

nlohmann::json to_json(const auth::usage_summary& r) {
  return {{"key", r.key_name},
          {"model", r.model},
          {"requests", r.requests},
          {"errors", r.errors},
          {"prompt_tokens", r.prompt_tokens},
          {"completion_tokens", r.completion_tokens},
          {"mean_latency_ms", r.mean_latency_ms},
          {"max_latency_ms", r.max_latency_ms},
          {"first_ms", r.first_ms},
          {"last_ms", r.last_ms}};
}

}  // namespace

void register_usage_command(CLI::App& app) {
  auto args = std::make_shared<usage_args>();
  auto* cmd = app.add_subcommand("usage", "Requests and tokens per API key and model");
  cmd->add_option("--db", args->db, "Key database (SQLite) the server writes its usage log into")
      ->capture_default_str();
  cmd->add_option("--since", args->since, "Only the last DURATION (e.g. 90s, 15m, 1h, 24h)");
  cmd->add_flag("--json", args->json, "Print a JSON array");
  cmd->callback([args] {
    try {
      if (!std::filesystem::exists(args->db)) {
        throw std::runtime_error("no database at " + args->db);
      }
      const auth::usage_log log(args->db);
      const auto rows = log.summarise(since_ms(args->since));
      if (!args->json) return print_table(rows);
      nlohmann::json out = nlohmann::json::array();
      for (const auto& r : rows) out.push_back(to_json(r));
      std::cout << out.dump() << "\n";
    } catch (const std::exception& e) {
      std::cerr << "hfserve usage: " << e.what() << "\n";
      set_exit_code(1);
    }
  });
}

}  // namespace hf::cli
