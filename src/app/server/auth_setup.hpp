// Decides at start-up whether API keys are required (--auth auto|off|on) and opens the key
// database (--db, default ./hfserve.db) when one is needed or present, saying which in the log:
// auto turns auth on exactly when the database holds a key that is not revoked. A database that
// cannot be opened is a start-up error (thrown), never a silent "auth off".
//   auth_state a = set_up_auth(cfg);   ctx.auth = {a.enabled, a.keys.get(), a.limits.get()};
#pragma once
#include <memory>

#include "app/config/server_config.hpp"
#include "auth/key_store.hpp"
#include "auth/rate_limit_store.hpp"

namespace hf::app {

struct auth_state {
  bool enabled = false;
  std::filesystem::path db_path;          // the key database (also holds the usage log)
  std::unique_ptr<auth::key_store> keys;  // null: no database (auth off, none given or found)
  // Per-key budgets: this process's, or shared through Redis (--rate-limit-store). Its run()
  // belongs in the server's task group.
  std::unique_ptr<auth::rate_limit_store> limits;
};

auth_state set_up_auth(const server_config& cfg);

}  // namespace hf::app
