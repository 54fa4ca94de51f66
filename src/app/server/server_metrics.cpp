#include "app/server/server_metrics.hpp"

#include "api/openai/routes.hpp"
#include "base/version.hpp"

namespace hf::app {
namespace {

// Request latencies from a /health probe (well under 5 ms) to a long generation (minutes).
std::vector<double> latency_buckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
}

// Time to first token: from a warm model's few milliseconds to a long prompt queued behind others.
std::vector<double> first_token_buckets() {
  return {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

// Time per output token: a small model at batch 1 (~1 ms) to a large one in a full batch.
std::vector<double> per_token_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};
}

// Queue wait: none on an idle server, up to the request timeout on an overloaded one.
std::vector<double> queue_wait_buckets() {
  return {0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
}

// What grew since the last look; a smaller value means the model was reloaded and started at 0.
double growth(std::uint64_t now, std::uint64_t& last) {
  const std::uint64_t added = now >= last ? now - last : now;
  last = now;
  return static_cast<double>(added);
}

}  // namespace

server_metrics::server_metrics(const std::string& io_backend,
                               std::chrono::steady_clock::time_point started)
    : started_(started),
      requests_(registry_.add_counter("hfserve_http_requests_total",
                                      "HTTP requests answered, by method, route and status",
                                      {"method", "route", "status"})),
      duration_(
          registry_.add_histogram("hfserve_http_request_duration_seconds",
                                  "Time from a request's complete head to the end of its answer",
                                  latency_buckets(), {"route"})),
      response_bytes_(registry_.add_counter("hfserve_http_response_bytes_total",
                                            "Response body bytes sent, by route", {"route"})),
      uptime_(registry_.add_gauge("hfserve_uptime_seconds", "Seconds since the server started")),
      models_loaded_(registry_.add_gauge("hfserve_models_loaded", "Models loaded or loading")),
      model_memory_(registry_.add_gauge("hfserve_model_memory_bytes",
                                        "Resident memory estimate of a loaded model", {"model"})),
      in_flight_(registry_.add_gauge("hfserve_model_requests_in_flight",
                                     "Requests holding the model", {"model"})),
      queue_depth_(registry_.add_gauge("hfserve_queue_depth",
                                       "Requests waiting for the model's scheduler or batcher",
                                       {"model"})),
      running_(registry_.add_gauge("hfserve_generation_running",
                                   "Sequences in the model's running batch", {"model"})),
      largest_batch_(registry_.add_gauge("hfserve_generation_largest_batch",
                                         "Most sequences one forward call has advanced since load",
                                         {"model"})),
      completed_(registry_.add_counter("hfserve_generation_sequences_completed_total",
                                       "Generated sequences that finished", {"model"})),
      generated_tokens_(
          registry_.add_counter("hfserve_generated_tokens_total", "Tokens generated", {"model"})),
      steps_(registry_.add_counter("hfserve_generation_steps_total",
                                   "Forward calls of the generation scheduler", {"model"})),
      key_requests_(registry_.add_counter("hfserve_key_requests_total",
                                          "API requests by API key name, model and status",
                                          {"key", "model", "status"})),
      key_tokens_(registry_.add_counter("hfserve_key_tokens_total",
                                        "Prompt and completion tokens by API key name",
                                        {"key", "kind"})),
      tokens_(registry_.add_counter("hfserve_tokens_total",
                                    "Prompt (in) and completion (out) tokens by model",
                                    {"model", "kind"})),
      ttft_(registry_.add_histogram("hfserve_time_to_first_token_seconds",
                                    "From a generation request's start to its first token",
                                    first_token_buckets(), {"model"})),
      tpot_(registry_.add_histogram("hfserve_time_per_output_token_seconds",
                                    "Mean time per generated token after the first, per request",
                                    per_token_buckets(), {"model"})),
      queue_wait_(registry_.add_histogram(
          "hfserve_queue_wait_seconds",
          "Time a generation request waited in the model's queue before all its choices ran "
          "(or until it timed out there)",
          queue_wait_buckets(), {"model"})),
      rate_limited_(registry_.add_counter("hfserve_rate_limit_rejections_total",
                                          "Requests refused with 429 by a key's rate limits",
                                          {"key"})),
      breaker_state_(registry_.add_gauge(
          "hfserve_circuit_breaker_state",
          "1 for the state a model's circuit breaker is in (closed, open, half_open), else 0",
          {"model", "state"})),
      breaker_failures_(registry_.add_counter(
          "hfserve_circuit_breaker_failures_total",
          "Failures a model's circuit breaker counted (load failures, engine errors)", {"model"})),
      breaker_transitions_(registry_.add_counter(
          "hfserve_circuit_breaker_transitions_total",
          "Times a model's circuit breaker opened, or closed again after a probe",
          {"model", "to"})),
      breaker_rejected_(registry_.add_counter(
          "hfserve_circuit_breaker_rejections_total",
          "Requests a model's circuit breaker refused (503) while open or half open", {"model"})) {
  registry_
      .add_gauge("hfserve_build_info", "Version and I/O backend of this server",
                 {"version", "io_backend"})
      .with({hf::version(), io_backend})
      .set(1);
  registry_.on_collect([this] {
    uptime_.get().set(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
  });
}

void server_metrics::record(const net::http::access_log_entry& e) {
  const std::string route(api::route_label(e.path));
  requests_.with({e.method, route, std::to_string(e.status)}).inc();
  duration_.with({route}).observe(std::chrono::duration<double>(e.duration).count());
  response_bytes_.with({route}).inc(static_cast<double>(e.bytes));
}

std::string server_metrics::model_label(const api::request_record& r) {
  if (r.model.empty()) return "";
  std::lock_guard lock(mutex_);
  if (r.status < 400) served_.insert(r.model);
  if (served_.contains(r.model) || models_.contains(r.model)) return r.model;
  return "other";
}

void server_metrics::observe(const api::request_record& r) {
  const std::string model = model_label(r);
  if (!r.key_name.empty()) {
    const std::string key(r.key_name);
    key_requests_.with({key, model, std::to_string(r.status)}).inc();
    if (r.prompt_tokens > 0) {
      key_tokens_.with({key, "prompt"}).inc(static_cast<double>(r.prompt_tokens));
    }
    if (r.completion_tokens > 0) {
      key_tokens_.with({key, "completion"}).inc(static_cast<double>(r.completion_tokens));
    }
    if (r.error_code == "rate_limit_exceeded") rate_limited_.with({key}).inc();
  }
  if (r.prompt_tokens > 0)
    tokens_.with({model, "prompt"}).inc(static_cast<double>(r.prompt_tokens));
  if (r.completion_tokens > 0) {
    tokens_.with({model, "completion"}).inc(static_cast<double>(r.completion_tokens));
  }
  if (r.queue_wait) {
    queue_wait_.with({model}).observe(std::chrono::duration<double>(*r.queue_wait).count());
  }
  if (!r.first_token) return;
  ttft_.with({model}).observe(std::chrono::duration<double>(*r.first_token).count());
  if (r.completion_tokens > 1 && r.latency > *r.first_token) {
    const double after_first = std::chrono::duration<double>(r.latency - *r.first_token).count();
    tpot_.with({model}).observe(after_first / static_cast<double>(r.completion_tokens - 1));
  }
}

void server_metrics::watch(const serving::model_cache& cache) {
  registry_.on_collect([this, &cache] {
    collect(cache);
    collect_breakers(cache);
  });
}

void server_metrics::watch(const serving::response_cache& responses) {
  auto& lookups = registry_.add_counter("hfserve_response_cache_lookups_total",
                                        "Deterministic requests looked up in the response cache, "
                                        "by result (hit: answered without running the model)",
                                        {"result"});
  auto& dropped = registry_.add_counter(
      "hfserve_response_cache_dropped_total",
      "Cached responses dropped, by reason (lru, ttl, model unloaded)", {"reason"});
  auto& entries = registry_.add_gauge("hfserve_response_cache_entries", "Responses cached");
  auto& bytes = registry_.add_gauge("hfserve_response_cache_bytes",
                                    "Memory the cached responses take (bounded by --cache-bytes)");
  // Init-captured pointers: the families live in registry_, the cache outlives every render().
  registry_.on_collect([cache = &responses, lookups = &lookups, dropped = &dropped,
                        entries = &entries, bytes = &bytes,
                        seen = std::make_shared<serving::response_cache_stats>()] {
    const serving::response_cache_stats s = cache->stats();
    lookups->with({"hit"}).inc(growth(s.hits, seen->hits));
    lookups->with({"miss"}).inc(growth(s.misses, seen->misses));
    dropped->with({"lru"}).inc(growth(s.evicted, seen->evicted));
    dropped->with({"ttl"}).inc(growth(s.expired, seen->expired));
    dropped->with({"model"}).inc(growth(s.invalidated, seen->invalidated));
    entries->get().set(static_cast<double>(s.entries));
    bytes->get().set(static_cast<double>(s.bytes));
  });
}

void server_metrics::collect(const serving::model_cache& cache) {
  const auto statuses = cache.status();
  std::lock_guard lock(mutex_);
  models_loaded_.get().set(static_cast<double>(statuses.size()));
  std::set<std::string> absent = models_;
  for (const auto& s : statuses) {
    models_.insert(s.id);
    absent.erase(s.id);
    model_memory_.with({s.id}).set(static_cast<double>(s.memory_bytes));
    in_flight_.with({s.id}).set(s.in_flight);
    // s.queued is the model's queue, whichever worker it has (the cache fills it from the
    // scheduler's or the batcher's): not added to again here.
    const std::size_t queued = s.queued;
    if (s.generation) {
      const auto& g = *s.generation;
      running_.with({s.id}).set(static_cast<double>(g.active));
      largest_batch_.with({s.id}).set(static_cast<double>(g.largest_batch));
      auto& last = seen_[s.id];
      completed_.with({s.id}).inc(growth(g.completed, last.completed));
      generated_tokens_.with({s.id}).inc(growth(g.generated_tokens, last.generated_tokens));
      steps_.with({s.id}).inc(growth(g.steps, last.steps));
    }
    queue_depth_.with({s.id}).set(static_cast<double>(queued));
  }
  for (const auto& id : absent) {  // unloaded since the last scrape: its gauges drop to 0
    model_memory_.with({id}).set(0);
    in_flight_.with({id}).set(0);
    queue_depth_.with({id}).set(0);
    if (seen_.erase(id) != 0) running_.with({id}).set(0);  // a reload starts its totals at 0
  }
}

void server_metrics::collect_breakers(const serving::model_cache& cache) {
  std::lock_guard lock(mutex_);
  for (const auto& entry : cache.breakers()) {
    const std::string& id = entry.first;
    const serving::breaker_report& b = entry.second;
    for (auto st : {serving::breaker_state::closed, serving::breaker_state::open,
                    serving::breaker_state::half_open}) {
      breaker_state_.with({id, std::string(serving::breaker_state_name(st))})
          .set(b.state == st ? 1 : 0);
    }
    serving::breaker_report& last = seen_breakers_[id];
    breaker_failures_.with({id}).inc(growth(b.failures, last.failures));
    breaker_transitions_.with({id, "open"}).inc(growth(b.opened, last.opened));
    breaker_transitions_.with({id, "closed"}).inc(growth(b.closed_again, last.closed_again));
    breaker_rejected_.with({id}).inc(growth(b.rejected, last.rejected));
  }
}

}  // namespace hf::app
