// The set of loaded models: loads on first use (or on request), shares one load between concurrent
// requests, bounds the loaded set by count and by memory with LRU eviction that never evicts a
// model with requests in flight, and owns each model's scheduler (generation) or batcher
// (embeddings) as a task in its own task group. A failed load answers every waiter with the
// error; the next request tries again.
//   co_await tg.start(cache.run());                       // in the app's task group
//   model_lease lease = co_await cache.acquire("org/name");  // serving_error if unknown/failed
//   auto events = lease.generator()->submit(request);
#pragma once
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/weights/dtype_request.hpp"
#include "runtime/clock.hpp"
#include "runtime/sync/capacity_limiter.hpp"
#include "runtime/task.hpp"
#include "runtime/task_group.hpp"
#include "serving/cache/cache_entry.hpp"
#include "serving/cache/circuit_breaker.hpp"
#include "serving/embedding/batcher.hpp"
#include "serving/generation/scheduler.hpp"

namespace hf::serving {

struct cache_options {
  std::size_t max_models = 2;
  std::size_t max_bytes = 0;  // 0 = no memory bound
  rt::duration load_timeout = std::chrono::seconds(600);
  scheduler_options scheduler;
  batcher_options batcher;
  breaker_options breaker;  // per model: load failures and engine errors open it
  engine::dtype_request dtype;  // weight type of models loaded without one of their own (set_dtype)
  // Log sink for load/evict/unload lines: (level, message).
  std::function<void(std::string_view, const std::string&)> log;
  // Called when a model leaves the cache (unload, eviction, failed or replaced load), e.g. to
  // drop the answers cached for it.
  std::function<void(const std::string& id)> on_unload;
};

// Keeps a model loaded and counted "in flight" while alive.
class model_lease {
 public:
  model_lease() = default;
  // probe: the model's breaker let this request through half open; the lease ends the probe.
  explicit model_lease(std::shared_ptr<cache_entry> e, circuit_breaker* probe = nullptr);
  model_lease(model_lease&&) noexcept = default;
  model_lease& operator=(model_lease&&) noexcept;
  model_lease(const model_lease&) = delete;
  model_lease& operator=(const model_lease&) = delete;
  ~model_lease();

  const loaded_model& model() const { return *entry_->model; }
  generation_scheduler* generator() const { return entry_->generator.get(); }
  encoder_batcher* encoder() const { return entry_->batcher.get(); }
  // Tells this load of the model from an earlier or later one (response cache keys).
  std::uint64_t load_serial() const { return entry_->load_serial; }

 private:
  void release() noexcept;
  std::shared_ptr<cache_entry> entry_;
  circuit_breaker* probe_ = nullptr;
};

struct model_status {
  std::string id;
  std::string state;  // "loading" | "ready"
  std::filesystem::path dir;
  std::size_t memory_bytes = 0;
  int in_flight = 0;
  std::string architecture;
  std::string dtype;  // the loaded weight type ("bf16", ...); empty while loading
  std::optional<scheduler_stats> generation;
  std::size_t queued = 0;
  double load_ms = 0;
  std::uint64_t load_done_bytes = 0;   // weights mapped or converted (while loading: so far)
  std::uint64_t load_total_bytes = 0;  // the model's weight bytes (0 until they are opened)
};

class model_cache {
 public:
  using resolver = std::function<std::optional<std::filesystem::path>(const std::string& id)>;
  model_cache(resolver resolve, cache_options options, rt::capacity_limiter* compute_limiter);
  model_cache(const model_cache&) = delete;
  model_cache& operator=(const model_cache&) = delete;

  // Runs loads and model workers until cancelled (unloading everything). Call via tg.start().
  rt::task<void> run(rt::task_status<>& status);

  // Loads `id` if needed (waiting for a load already under way) and leases it. Throws
  // serving_error: model_not_found, overloaded (cache full of busy models), timeout, or the load's
  // own error. Cancellable: a cancelled waiter leaves the shared load running for the others.
  rt::task<model_lease> acquire(const std::string& id);

  enum class unload_result { unloaded, not_loaded, busy };
  unload_result unload(const std::string& id);

  // The weight type the next load of `id` uses (cache_options::dtype until set). False, and
  // nothing changed, when `id` is loaded or loading with another one (unload it first); a named
  // type that the loaded model already has is not another one (auto on a bf16 checkpoint is bf16).
  bool set_dtype(const std::string& id, const engine::dtype_request& dtype);
  // The weight type `id` is loaded with ("bf16"), or the request while it is loading ("auto");
  // nullopt when it is not in the cache.
  std::optional<std::string> loaded_dtype(const std::string& id) const;

  std::vector<model_status> status() const;
  bool is_loaded(const std::string& id) const;
  // Every model whose breaker has seen a failure (closed ones with none are left out).
  std::map<std::string, breaker_report> breakers() const;

 private:
  // Both take a raw entry: `pinned_` keeps it alive until the coroutine has ended. (Coroutines
  // here take no shared_ptr by value: under GCC 12 such a parameter was seen not to hold its
  // reference in this code, under ASan.)
  rt::task<void> load(cache_entry* e);
  // Runs the entry's scheduler or batcher until cancelled (eviction, shutdown).
  rt::task<void> run_worker(cache_entry* e);
  void pin(const std::shared_ptr<cache_entry>& e) { pinned_.push_back(e); }
  void unpin(const cache_entry* e);
  void make_room(const cache_entry& incoming);
  void evict(const std::string& id, const char* why);
  void log(std::string_view level, const std::string& msg) const;
  circuit_breaker& breaker_for(const std::string& id);
  engine::dtype_request dtype_for(const std::string& id) const;
  // A load or an engine step of `id` failed (error) or worked (empty).
  void record_outcome(const std::string& id, std::string_view error);

  resolver resolve_;
  cache_options options_;
  rt::capacity_limiter* compute_limiter_;
  std::map<std::string, std::shared_ptr<cache_entry>> entries_;
  // Per model id, kept across loads (a failing load leaves no entry behind); ids are only those
  // the resolver knows, so the map is bounded by the catalogue.
  std::map<std::string, circuit_breaker> breakers_;
  std::map<std::string, engine::dtype_request> dtypes_;  // set_dtype, per id of the catalogue
  // Entries with a load or a worker running (evicted ones included): alive until it has ended.
  std::vector<std::shared_ptr<cache_entry>> pinned_;
  rt::task_group* group_ = nullptr;
};

}  // namespace hf::serving
