#include "serving/cache/model_cache.hpp"

#include <algorithm>

#include "engine/weights/progress.hpp"
#include "runtime/cancel_scope.hpp"
#include "runtime/errors.hpp"
#include "runtime/sleep.hpp"
#include "runtime/threads/to_thread.hpp"
#include "serving/errors.hpp"

namespace hf::serving {
namespace {
std::uint64_t g_use_clock = 0;    // loop thread only
std::uint64_t g_load_serial = 0;  // loop thread only

std::string mib(std::size_t bytes) { return std::to_string(bytes / (1024 * 1024)) + " MiB"; }

// ": 312 MiB of 988 MiB of weights (31 %)", or nothing before the weights are opened.
std::string load_progress_text(const cache_entry& e) {
  const std::uint64_t total = e.load_total.load(std::memory_order_relaxed);
  if (total == 0) return "";
  const std::uint64_t done = e.load_done.load(std::memory_order_relaxed);
  return ": " + mib(done) + " of " + mib(total) + " of weights (" +
         std::to_string(done * 100 / total) + " %)";
}
}  // namespace

model_lease::model_lease(std::shared_ptr<cache_entry> e, circuit_breaker* probe)
    : entry_(std::move(e)), probe_(probe) {
  ++entry_->in_flight;
  entry_->use_order = ++g_use_clock;
}

model_lease& model_lease::operator=(model_lease&& o) noexcept {
  if (this != &o) {
    release();
    entry_ = std::move(o.entry_);
    probe_ = std::exchange(o.probe_, nullptr);
  }
  return *this;
}

model_lease::~model_lease() { release(); }

void model_lease::release() noexcept {
  if (probe_) std::exchange(probe_, nullptr)->end_probe();
  if (!entry_) return;
  --entry_->in_flight;
  entry_->use_order = ++g_use_clock;
  entry_.reset();
}

model_cache::model_cache(resolver resolve, cache_options options,
                         rt::capacity_limiter* compute_limiter)
    : resolve_(std::move(resolve)), options_(std::move(options)), compute_limiter_(compute_limiter) {}

void model_cache::log(std::string_view level, const std::string& msg) const {
  if (options_.log) options_.log(level, msg);
}

rt::task<void> model_cache::run(rt::task_status<>& status) {
  try {
    co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
      group_ = &tg;
      status.started();
      co_await rt::sleep_forever();
    });
  } catch (...) {
    group_ = nullptr;
    entries_.clear();
    pinned_.clear();
    throw;
  }
  group_ = nullptr;
  entries_.clear();
  pinned_.clear();
}

rt::task<model_lease> model_cache::acquire(const std::string& id) {
  if (!group_) throw serving_error(error_kind::unavailable, "the server is shutting down");
  auto it = entries_.find(id);
  std::optional<std::filesystem::path> dir;
  if (it == entries_.end()) {
    dir = resolve_(id);
    if (!dir) {
      throw serving_error(error_kind::model_not_found,
                          "the model '" + id + "' does not exist or is not available", "model");
    }
  }
  circuit_breaker& breaker = breaker_for(id);
  const circuit_breaker::admission admitted = breaker.admit(rt::current_time());
  if (!admitted.allowed) {
    const breaker_report r = breaker.report(rt::current_time());
    const auto retry = std::chrono::ceil<std::chrono::milliseconds>(admitted.retry_after);
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(retry).count();
    throw serving_error(error_kind::circuit_open,
                        "the model '" + id + "' is failing (" + std::to_string(r.recent_failures) +
                            " recent failures, the last: " + r.last_error +
                            "); its circuit breaker refuses requests for now, retry in " +
                            std::to_string(seconds) + " s",
                        "model", retry);
  }
  std::shared_ptr<cache_entry> e;
  if (it != entries_.end()) {
    e = it->second;
  } else {
    e = std::make_shared<cache_entry>();
    e->id = id;
    e->dir = *dir;
    e->dtype = dtype_for(id);
    e->load_serial = ++g_load_serial;
    entries_[id] = e;
    pin(e);
    group_->start_soon(load(e.get()), "load " + id);
  }
  // Waiting holds a lease, so the model cannot be evicted between load and use.
  model_lease lease(e, admitted.probe ? &breaker : nullptr);
  if (!e->loaded.is_set()) co_await e->loaded.wait();
  if (e->st != cache_entry::state::ready) std::rethrow_exception(e->error);
  co_return lease;
}

engine::dtype_request model_cache::dtype_for(const std::string& id) const {
  auto it = dtypes_.find(id);
  return it == dtypes_.end() ? options_.dtype : it->second;
}

namespace {
// The weight type of a ready model; nullopt while it loads (only the request is known then).
std::optional<engine::weight_type> loaded_type(const cache_entry& e) {
  if (e.st != cache_entry::state::ready || !e.model) return std::nullopt;
  return e.model->model->dtype();
}

// Whether `e` already holds the weights `dtype` asks for: the same request, or a named type that
// the loaded model has (a bf16 checkpoint loaded with auto is bf16). An auto request against a
// model loaded with a named type cannot be judged here (the checkpoint's own type is not kept),
// so it counts as another one.
bool holds(const cache_entry& e, const engine::dtype_request& dtype) {
  return e.dtype == dtype || (dtype.type && loaded_type(e) == dtype.type);
}
}  // namespace

bool model_cache::set_dtype(const std::string& id, const engine::dtype_request& dtype) {
  auto it = entries_.find(id);
  if (it != entries_.end() && !holds(*it->second, dtype)) return false;
  if (!resolve_(id)) return true;  // unknown: acquire() reports it, and the map stays bounded
  dtypes_[id] = dtype;
  return true;
}

std::optional<std::string> model_cache::loaded_dtype(const std::string& id) const {
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  if (const auto type = loaded_type(*it->second))
    return std::string(engine::weight_type_name(*type));
  return it->second->dtype.name();
}

circuit_breaker& model_cache::breaker_for(const std::string& id) {
  auto it = breakers_.find(id);
  if (it == breakers_.end()) it = breakers_.emplace(id, circuit_breaker(options_.breaker)).first;
  return it->second;
}

void model_cache::record_outcome(const std::string& id, std::string_view error) {
  circuit_breaker& b = breaker_for(id);
  const breaker_state before = b.report(rt::current_time()).state;
  if (error.empty()) {
    b.on_success();
  } else {
    b.on_failure(rt::current_time(), error);
  }
  const breaker_state after = b.report(rt::current_time()).state;
  if (after != before) {
    log(after == breaker_state::open ? "error" : "info",
        "circuit breaker of model '" + id + "': " + std::string(breaker_state_name(before)) +
            " -> " + std::string(breaker_state_name(after)));
  }
}

std::map<std::string, breaker_report> model_cache::breakers() const {
  std::map<std::string, breaker_report> out;
  for (const auto& [id, b] : breakers_) {
    breaker_report r = b.report(rt::current_time());
    if (r.failures > 0 || r.state != breaker_state::closed) out.emplace(id, std::move(r));
  }
  return out;
}

rt::task<void> model_cache::load(cache_entry* e) {
  log("info", "loading model '" + e->id + "' from " + e->dir.string());
  try {
    std::shared_ptr<const loaded_model> m;
    std::string id = e->id;
    std::filesystem::path dir = e->dir;
    std::exception_ptr load_error;  // kept out of the group so it is not wrapped in a group
    co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
      // Progress for long loads: a line every 5 s until the load ends.
      auto ticker = tg.start_soon([&]() -> rt::task<void> {
        for (int s = 5;; s += 5) {
          co_await rt::sleep(std::chrono::seconds(5));
          log("info", "still loading model '" + id + "' (" + std::to_string(s) + " s" +
                          load_progress_text(*e) + ")");
        }
      });
      try {
        m = co_await rt::fail_after(
            options_.load_timeout,
            [&]() -> rt::task<std::shared_ptr<const loaded_model>> {
              co_return co_await rt::to_thread::run_sync(
                  // Captures the pinned entry, not string copies: GCC 12 mis-relocates a lambda
                  // temporary holding short std::strings inside a co_await expression.
                  [e] {
                    engine::weight_progress_scope progress(
                        [e](std::uint64_t done, std::uint64_t total) {
                          e->load_done.store(done, std::memory_order_relaxed);
                          e->load_total.store(total, std::memory_order_relaxed);
                        });
                    return load_model_folder(e->id, e->dir, e->dtype);
                  },
                  {.abandon_on_cancel = true});
            },
            "loading model '" + id + "' took longer than the load timeout");
      } catch (const rt::timeout_error& t) {
        load_error = std::make_exception_ptr(serving_error(error_kind::timeout, t.what(), "model"));
      } catch (const std::exception&) {
        load_error = std::current_exception();
      }
      ticker.cancel();
    });
    if (load_error) std::rethrow_exception(load_error);
    e->model = m;
    make_room(*e);
    // Every engine step's outcome feeds the model's breaker (the cache outlives its workers).
    auto on_step = [this, id = e->id](std::string_view error) { record_outcome(id, error); };
    if (m->lm) {
      scheduler_options so = options_.scheduler;
      so.on_step = on_step;
      e->generator = std::make_unique<generation_scheduler>(m, so, compute_limiter_);
    } else if (m->encoder) {
      batcher_options bo = options_.batcher;
      bo.on_batch = on_step;
      e->batcher = std::make_unique<encoder_batcher>(m, bo, compute_limiter_);
    }
    e->worker = group_->start_soon(run_worker(e), "worker " + e->id);  // e stays pinned
    e->st = cache_entry::state::ready;
    record_outcome(e->id, "");
    log("info", "loaded model '" + e->id + "' (" + m->model->architecture() + ", " +
                    std::string(engine::weight_type_name(m->model->dtype())) + ", " +
                    mib(m->memory_bytes) + ") in " + std::to_string(m->load_time.count()) + " ms");
  } catch (const rt::cancelled&) {
    e->st = cache_entry::state::failed;
    e->error = std::make_exception_ptr(
        serving_error(error_kind::unavailable, "the server is shutting down", "model"));
    e->loaded.set();
    unpin(e);
    throw;
  } catch (const serving_error& err) {
    e->st = cache_entry::state::failed;
    e->error = std::current_exception();
    log("error", std::string("failed to load model '") + e->id + "': " + err.what());
    // A cache full of busy models is load, not a fault of this model.
    if (err.kind() != error_kind::overloaded) record_outcome(e->id, err.what());
  } catch (const std::exception& err) {
    e->st = cache_entry::state::failed;
    e->error = std::make_exception_ptr(serving_error(
        error_kind::unavailable, "failed to load model '" + e->id + "': " + err.what(), "model"));
    log("error", std::string("failed to load model '") + e->id + "': " + err.what());
    record_outcome(e->id, err.what());
  }
  e->loaded.set();
  if (e->st == cache_entry::state::failed) {
    auto it = entries_.find(e->id);
    if (it != entries_.end() && it->second.get() == e) entries_.erase(it);  // next request retries
    unpin(e);  // a ready entry stays pinned for its worker
  }
}

void model_cache::unpin(const cache_entry* e) {
  std::erase_if(pinned_, [e](const auto& p) { return p.get() == e; });
}

rt::task<void> model_cache::run_worker(cache_entry* e) {
  try {
    if (e->generator) {
      co_await e->generator->run();
    } else if (e->batcher) {
      co_await e->batcher->run();
    }
  } catch (...) {
    unpin(e);  // may destroy the entry: nothing touches `e` after this
    throw;
  }
  unpin(e);
}

void model_cache::make_room(const cache_entry& incoming) {
  auto loaded_bytes = [&] {
    std::size_t sum = 0;
    for (auto& [id, e] : entries_) {
      if (e.get() != &incoming && e->model) sum += e->model->memory_bytes;
    }
    return sum;
  };
  auto others = [&] {
    std::size_t n = 0;
    for (auto& [id, e] : entries_) n += e.get() != &incoming && e->st == cache_entry::state::ready;
    return n;
  };
  std::size_t need = incoming.model->memory_bytes;
  if (options_.max_bytes && need > options_.max_bytes) {
    throw serving_error(error_kind::unavailable,
                        "model '" + incoming.id + "' needs " + mib(need) +
                            ", more than the model memory limit (" + mib(options_.max_bytes) + ")",
                        "model");
  }
  for (;;) {
    bool count_ok = others() + 1 <= options_.max_models;
    bool bytes_ok = !options_.max_bytes || loaded_bytes() + need <= options_.max_bytes;
    if (count_ok && bytes_ok) return;
    // Least recently used model with no request in flight.
    std::shared_ptr<cache_entry> victim;
    for (auto& [id, e] : entries_) {
      if (e.get() == &incoming || e->st != cache_entry::state::ready || e->in_flight > 0) continue;
      if (!victim || e->use_order < victim->use_order) victim = e;
    }
    if (!victim) {
      throw serving_error(error_kind::overloaded,
                          "cannot load model '" + incoming.id +
                              "': the model cache is full and every loaded model is busy",
                          "model");
    }
    evict(victim->id, count_ok ? "memory limit" : "model count limit");
  }
}

void model_cache::evict(const std::string& id, const char* why) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  std::shared_ptr<cache_entry> e = it->second;
  entries_.erase(it);
  e->st = cache_entry::state::unloaded;

  // The worker task holds the entry; cancelling it ends the scheduler, which fails its queue.
  if (e->worker.status() == rt::task_status_code::pending) e->worker.cancel();
  if (options_.on_unload) options_.on_unload(id);
  log("info", "unloaded model '" + id + "' (" + why + ")");
}

model_cache::unload_result model_cache::unload(const std::string& id) {
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second->st != cache_entry::state::ready) {
    return unload_result::not_loaded;
  }
  if (it->second->in_flight > 0) return unload_result::busy;
  evict(id, "requested");
  return unload_result::unloaded;
}

bool model_cache::is_loaded(const std::string& id) const {
  auto it = entries_.find(id);
  return it != entries_.end() && it->second->st == cache_entry::state::ready;
}

std::vector<model_status> model_cache::status() const {
  std::vector<model_status> out;
  for (auto& [id, e] : entries_) {
    model_status s;
    s.id = id;
    s.state = e->st == cache_entry::state::ready ? "ready" : "loading";
    s.load_done_bytes = e->load_done.load(std::memory_order_relaxed);
    s.load_total_bytes = e->load_total.load(std::memory_order_relaxed);
    s.dir = e->dir;
    s.in_flight = e->in_flight;
    if (e->model) {
      s.memory_bytes = e->model->memory_bytes;
      s.dtype = std::string(engine::weight_type_name(e->model->model->dtype()));
      s.architecture = e->model->model->architecture();
      s.load_ms = static_cast<double>(e->model->load_time.count());
    }
    if (e->generator) {
      s.generation = e->generator->stats();
      s.queued = s.generation->queued;
    }
    if (e->batcher) s.queued = e->batcher->queued();
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace hf::serving
