#include "app/server/auth_setup.hpp"

#include "auth/redis_rate_store.hpp"
#include "observability/log.hpp"

namespace hf::app {

namespace {

std::unique_ptr<auth::rate_limit_store> make_rate_store(const server_config& cfg) {
  const auto address = auth::parse_redis_url(cfg.rate_limit_store);
  if (!address) return std::make_unique<auth::memory_rate_store>();
  auto log = obs::get_logger("auth");
  const bool closed = cfg.rate_limit_fail_closed;
  log.info("rate limits shared through Redis",
           {{"store", cfg.rate_limit_store}, {"on_failure", closed ? "closed" : "open"}});
  auth::redis_store_options o;
  o.address = *address;
  o.fail_closed = closed;
  o.timeout = cfg.rate_limit_timeout;
  o.on_change = [log, closed](bool shared, const std::string& detail) {
    if (shared) {
      log.info("rate-limit store reachable: budgets are shared", {{"store", detail}});
    } else if (closed) {
      log.error("rate-limit store unreachable: refusing keyed requests (fail closed)",
                {{"error", detail}});
    } else {
      log.warn("rate-limit store unreachable: this server's own limits apply (fail open)",
               {{"error", detail}});
    }
  };
  return std::make_unique<auth::redis_rate_store>(std::move(o));
}

}  // namespace

auth_state set_up_auth(const server_config& cfg) {
  auto log = obs::get_logger("auth");
  const std::filesystem::path path = cfg.db.empty() ? "./hfserve.db" : cfg.db;
  auth_state a;
  const bool wanted = cfg.auth == auth_mode::on || !cfg.db.empty() || std::filesystem::exists(path);
  if (wanted) {
    a.keys = std::make_unique<auth::key_store>(path);
    a.db_path = path;
  }
  const std::size_t active = a.keys ? a.keys->active_count() : 0;
  a.enabled = cfg.auth == auth_mode::on || (cfg.auth == auth_mode::automatic && active > 0);
  const std::string db = a.keys ? path.string() : std::string("none");
  const auto count = static_cast<std::uint64_t>(active);
  const std::string_view mode = auth_mode_name(cfg.auth);
  if (a.enabled) {
    log.info("auth on: every route but /health and /ready needs an API key",
             {{"db", db}, {"active_keys", count}, {"mode", mode}});
    if (active == 0) {
      log.warn(
          "auth is on and the key database has no key: every request will be refused; "
          "create one with `hfserve keys create --db " +
              path.string() + " --name admin --admin`",
          {{"db", db}});
    }
  } else {
    log.warn("auth off: anyone who can reach this port may use every route",
             {{"db", db}, {"active_keys", count}, {"mode", mode}});
  }
  a.limits = make_rate_store(cfg);
  return a;
}

}  // namespace hf::app
