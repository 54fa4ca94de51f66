// The series GET /metrics shows (Prometheus text format), owned by the server's composition root:
// HTTP requests by method, route and status with durations and bytes (fed by the access-log hook,
// with route labels bounded by api::route_label), and the model cache's state (models loaded,
// memory, in flight, queue depth, running batch, generated tokens), read from the cache at each
// scrape so the numbers are the cache's own, never a second copy; and from the API's request
// records, per-key requests and tokens, tokens in and out per model, time to first token and time
// per output token, and rate-limit rejections. Model labels are bounded: a model appears once a
// request for it succeeded or the cache has held it; other names count as "other".
//   server_metrics m("epoll");
//   m.watch(cache);                 // the cache must outlive every later render()
//   srv.set_access_logger([&](const auto& e) { m.record(e); });
//   ctx.on_request = [&](const api::request_record& r) { m.observe(r); };
//   ctx.metrics = [&] { return m.render(); };
#pragma once
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "api/openai/request_record.hpp"
#include "net/http/server.hpp"
#include "observability/metrics.hpp"
#include "serving/cache/model_cache.hpp"
#include "serving/response_cache/response_cache.hpp"

namespace hf::app {

class server_metrics {
 public:
  explicit server_metrics(
      const std::string& io_backend,
      std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now());
  server_metrics(const server_metrics&) = delete;
  server_metrics& operator=(const server_metrics&) = delete;

  // One completed HTTP request.
  void record(const net::http::access_log_entry& e);
  // One answered API request (loop thread).
  void observe(const api::request_record& r);
  // Mirrors the cache's status at every render().
  void watch(const serving::model_cache& cache);
  // Mirrors the response cache's counters (hits, misses, evictions) and size at every render().
  void watch(const serving::response_cache& responses);
  std::string render() const { return registry_.render(); }

 private:
  // Totals the cache keeps per loaded model start again when a model is reloaded; the counters
  // here add only what grew since the last scrape, so they never go down.
  struct seen_totals {
    std::uint64_t completed = 0;
    std::uint64_t generated_tokens = 0;
    std::uint64_t steps = 0;
  };
  void collect(const serving::model_cache& cache);
  void collect_breakers(const serving::model_cache& cache);
  std::string model_label(const api::request_record& r);

  obs::registry registry_;
  std::chrono::steady_clock::time_point started_;
  obs::counter_family& requests_;
  obs::histogram_family& duration_;
  obs::counter_family& response_bytes_;
  obs::gauge_family& uptime_;
  obs::gauge_family& models_loaded_;
  obs::gauge_family& model_memory_;
  obs::gauge_family& in_flight_;
  obs::gauge_family& queue_depth_;
  obs::gauge_family& running_;
  obs::gauge_family& largest_batch_;
  obs::counter_family& completed_;
  obs::counter_family& generated_tokens_;
  obs::counter_family& steps_;
  obs::counter_family& key_requests_;
  obs::counter_family& key_tokens_;
  obs::counter_family& tokens_;
  obs::histogram_family& ttft_;
  obs::histogram_family& tpot_;
  obs::histogram_family& queue_wait_;
  obs::counter_family& rate_limited_;
  obs::gauge_family& breaker_state_;
  obs::counter_family& breaker_failures_;
  obs::counter_family& breaker_transitions_;
  obs::counter_family& breaker_rejected_;
  std::mutex mutex_;  // guards the two maps below (render() may run on any thread)
  std::map<std::string, seen_totals> seen_;
  std::map<std::string, serving::breaker_report> seen_breakers_;  // at the last scrape
  std::set<std::string> models_;  // every model ever shown: unloaded ones drop to 0
  std::set<std::string> served_;  // models that answered a request: bounded model labels
};

}  // namespace hf::app
