// GET /health (liveness), GET /ready (503 until start-up is done and while draining), GET /status,
// GET /metrics.
#include "api/openai/handlers.hpp"
#include "base/version.hpp"
#include "observability/metrics.hpp"

namespace hf::api {

rt::task<void> handle_health(api_context&, responder& out) {
  co_await out.json(200, R"({"status":"ok"})");
}

rt::task<void> handle_ready(api_context& ctx, responder& out) {
  switch (ctx.state()) {
    case server_state::ready:
      co_await out.json(200, R"({"status":"ready"})");
      co_return;
    case server_state::starting:
      co_await out.json(503, R"({"status":"starting"})");
      co_return;
    case server_state::draining:
      co_await out.json(503, R"({"status":"draining"})");
      co_return;
  }
}

namespace {

nlohmann::json circuit_breakers_json(const serving::model_cache& cache) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& entry : cache.breakers()) {
    const serving::breaker_report& b = entry.second;
    out[entry.first] = {{"state", serving::breaker_state_name(b.state)},
                        {"recent_failures", b.recent_failures},
                        {"failures", b.failures},
                        {"opened", b.opened},
                        {"closed_again", b.closed_again},
                        {"rejected", b.rejected},
                        {"retry_after_s", std::chrono::duration<double>(b.retry_after).count()},
                        {"last_error", b.last_error}};
  }
  return out;
}

nlohmann::json response_cache_json(const serving::response_cache& responses) {
  const serving::response_cache_stats rc = responses.stats();
  return {{"enabled", responses.enabled()},
          {"max_bytes", responses.options().max_bytes},
          {"ttl_s", std::chrono::duration<double>(responses.options().ttl).count()},
          {"entries", rc.entries},
          {"bytes", rc.bytes},
          {"hits", rc.hits},
          {"misses", rc.misses}};
}

}  // namespace

rt::task<void> handle_status(api_context& ctx, responder& out) {
  auto available = ctx.available();
  nlohmann::json loaded = nlohmann::json::array();
  // Named, not a temporary in the range-for: GCC 12 does not extend the lifetime of a range-for
  // temporary across a coroutine's suspension (seen under ASan).
  const auto statuses = ctx.cache->status();
  for (const auto& s : statuses) {
    nlohmann::json m = {{"id", s.id}, {"state", s.state}, {"memory_bytes", s.memory_bytes}};
    if (!s.dtype.empty()) m["dtype"] = s.dtype;
    if (s.state == "loading" && s.load_total_bytes > 0) {
      m["load_progress"] = {{"done_bytes", s.load_done_bytes}, {"total_bytes", s.load_total_bytes}};
    }
    if (s.generation)
      m["generation"] = {{"queued", s.generation->queued},
                         {"active", s.generation->active},
                         {"completed", s.generation->completed},
                         {"generated_tokens", s.generation->generated_tokens},
                         {"steps", s.generation->steps},
                         {"largest_batch", s.generation->largest_batch}};
    loaded.push_back(std::move(m));
  }
  nlohmann::json avail = nlohmann::json::array();
  for (const auto& m : available) avail.push_back(m.id);
  const char* state = ctx.state() == server_state::ready      ? "ready"
                      : ctx.state() == server_state::starting ? "starting"
                                                              : "draining";
  double uptime =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.started).count();
  nlohmann::json body = {{"version", std::string(hf::version())},
                         {"state", state},
                         {"uptime_s", uptime},
                         {"io_backend", ctx.backend},
                         {"models", {{"loaded", loaded}, {"available", avail}}},
                         {"hardware", ctx.hardware ? ctx.hardware() : nlohmann::json()}};
  body["circuit_breakers"] = circuit_breakers_json(*ctx.cache);
  if (ctx.responses) body["response_cache"] = response_cache_json(*ctx.responses);
  body["auth"] = {{"enabled", ctx.auth.enabled}};
  if (ctx.auth.limits) {
    const auth::rate_store_status rs = ctx.auth.limits->status();
    body["auth"]["rate_limits"] = {{"store", std::string(rs.store)},
                                   {"shared", rs.shared},
                                   {"degraded", rs.degraded},
                                   {"detail", rs.detail}};
  }
  std::string text = body.dump();
  co_await out.json(200, std::move(text));
}

rt::task<void> handle_metrics(api_context& ctx, responder& out) {
  std::string text = ctx.metrics ? ctx.metrics() : std::string();
  co_await out.text(200, obs::k_prometheus_content_type, std::move(text));
}

}  // namespace hf::api
