// `hfserve keys create|list|revoke --db FILE`: the API keys of the SQLite key database, the same
// one `hfserve serve --db FILE` reads (a running server sees changes at its next lookup).
//   hfserve keys create --db hfserve.db --name ci [--admin] [--models a,b] [--rpm N] [--tpm N]
//   hfserve keys list --db hfserve.db [--json]        (never the keys themselves)
//   hfserve keys revoke --db hfserve.db ci
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "auth/key_json.hpp"
#include "auth/key_store.hpp"
#include "cli/commands.hpp"

namespace hf::cli {
namespace {

struct keys_args {
  std::string db = "./hfserve.db";
  std::string name;
  bool admin = false;
  std::vector<std::string> models;
  std::int64_t rpm = 0;  // 0: no limit
  std::int64_t tpm = 0;
  bool json = false;
};

// Runs `body`, reporting failures as "hfserve keys: ..." with exit code 1.
template <class F>
void reporting(F body) {
  try {
    body();
  } catch (const std::exception& e) {
    std::cerr << "hfserve keys: " << e.what() << "\n";
    set_exit_code(1);
  }
}

std::string optional_text(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : "-";
}

void print_table(const std::vector<auth::key_record>& keys) {
  std::cout << "NAME\tSCOPE\tMODELS\tRPM\tTPM\tCREATED\tLAST_USED\tREVOKED\n";
  for (const auto& k : keys) {
    std::string models;
    for (const auto& m : k.models) models += (models.empty() ? "" : ",") + m;
    std::cout << k.name << "\t" << auth::key_scope_name(k.scope) << "\t"
              << (models.empty() ? "*" : models) << "\t" << optional_text(k.rpm) << "\t"
              << optional_text(k.tpm) << "\t" << k.created << "\t" << optional_text(k.last_used)
              << "\t" << (k.revoked ? "yes" : "no") << "\n";
  }
}

std::optional<std::int64_t> limit(std::int64_t v) {
  return v > 0 ? std::optional<std::int64_t>(v) : std::nullopt;
}

// list and revoke read an existing database; only create makes a new one.
void require_database(const std::string& path) {
  if (!std::filesystem::exists(path)) throw std::runtime_error("no key database at " + path);
}

}  // namespace

void register_keys_command(CLI::App& app) {
  auto args = std::make_shared<keys_args>();
  auto* keys = app.add_subcommand("keys", "Create, list and revoke API keys");
  keys->require_subcommand(1);

  auto* create = keys->add_subcommand("create", "Create a key and print it (shown once only)");
  create->add_option("--db", args->db, "Key database (SQLite)")->capture_default_str();
  create->add_option("--name", args->name, "Unique name of the key (in logs and metrics)")
      ->required();
  create->add_flag("--admin", args->admin, "Admin scope (model load/unload, status, keys)");
  create->add_option("--models", args->models, "Models the key may use (default: all)")
      ->delimiter(',');
  create->add_option("--rpm", args->rpm, "Requests per minute")->check(CLI::PositiveNumber);
  create->add_option("--tpm", args->tpm, "Tokens per minute")->check(CLI::PositiveNumber);
  create->add_flag("--json", args->json, "Print the key and its record as JSON");
  create->callback([args] {
    reporting([&] {
      auth::key_store store(args->db);
      const std::string key =
          store.create({.name = args->name,
                        .scope = args->admin ? auth::key_scope::admin : auth::key_scope::inference,
                        .models = args->models,
                        .rpm = limit(args->rpm),
                        .tpm = limit(args->tpm)});
      if (!args->json) {
        std::cout << key << "\n";
        std::cerr << "hfserve keys: key '" << args->name
                  << "' created; it is shown only now: store it safely\n";
        return;
      }
      nlohmann::json out = {{"key", key}};
      for (const auto& r : store.list()) {
        if (r.name == args->name) out.update(auth::key_json(r));
      }
      std::cout << out.dump() << "\n";
    });
  });

  auto* list = keys->add_subcommand("list", "List the keys (names and limits, never the keys)");
  list->add_option("--db", args->db, "Key database (SQLite)")->capture_default_str();
  list->add_flag("--json", args->json, "Print a JSON array");
  list->callback([args] {
    reporting([&] {
      require_database(args->db);
      auth::key_store store(args->db);
      const auto all = store.list();
      if (!args->json) return print_table(all);
      nlohmann::json out = nlohmann::json::array();
      for (const auto& r : all) out.push_back(auth::key_json(r));
      std::cout << out.dump() << "\n";
    });
  });

  auto* revoke = keys->add_subcommand("revoke", "Revoke a key by name (it stops working at once)");
  revoke->add_option("--db", args->db, "Key database (SQLite)")->capture_default_str();
  revoke->add_option("name", args->name, "Name of the key")->required();
  revoke->callback([args] {
    reporting([&] {
      require_database(args->db);
      auth::key_store store(args->db);
      if (!store.revoke(args->name)) throw std::runtime_error("no key named '" + args->name + "'");
      std::cerr << "hfserve keys: key '" << args->name << "' revoked\n";
    });
  });
}

}  // namespace hf::cli
