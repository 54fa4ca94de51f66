// Finished answers to deterministic requests, kept so that the same request is answered again
// without running the model: an LRU bounded by bytes, with a time to live, dropped per model when
// that model is unloaded or reloaded. Concurrent identical requests share one computation (single
// flight): the first becomes the leader and computes; the others wait for its answer. A leader
// that fails or is cancelled stores nothing and wakes the others, one of which leads next.
// Loop thread only.
//   response_cache cache({.max_bytes = 64 << 20, .ttl = 300s});
//   auto got = co_await cache.get_or_lead(key, "org/model");
//   if (got.hit) replay(*got.hit);
//   else { cached_response r = compute(); if (ok) got.lead->fill(std::move(r)); }
#pragma once
#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/clock.hpp"
#include "runtime/sync/event.hpp"
#include "runtime/task.hpp"

namespace hf::serving {

// One recorded 200 answer, as it went out: a whole JSON body, or a stream's event payloads in
// order ("[DONE]" included). Replaying it gives the client the same bytes.
struct cached_response {
  bool stream = false;
  std::string body;
  std::vector<std::string> events;
  std::size_t prompt_tokens = 0;  // what the original request used, for the replay's records
  std::size_t completion_tokens = 0;

  std::size_t payload_bytes() const;
};

struct response_cache_options {
  std::size_t max_bytes = 0;           // 0: the cache is off (every lookup leads, nothing kept)
  rt::duration ttl = rt::duration{0};  // 0: entries never expire (only LRU and unloads drop them)
};

struct response_cache_stats {
  std::uint64_t hits = 0;    // answered from a stored entry, or from a leader's answer
  std::uint64_t misses = 0;  // had to compute
  std::uint64_t stored = 0;
  std::uint64_t evicted = 0;      // LRU, to stay under max_bytes
  std::uint64_t expired = 0;      // TTL
  std::uint64_t invalidated = 0;  // the model was unloaded or reloaded
  std::size_t entries = 0;
  std::size_t bytes = 0;
};

class response_cache {
  struct pending;

 public:
  // The leader's duty for one key: fill() stores the answer and wakes the waiters; dropping it
  // unfilled (failure, cancellation, an answer not worth keeping) wakes them with nothing.
  class flight {
   public:
    flight(response_cache* cache, std::string key, std::string model, std::shared_ptr<pending> p);
    flight(flight&& o) noexcept;
    flight& operator=(flight&&) = delete;
    flight(const flight&) = delete;
    flight& operator=(const flight&) = delete;
    ~flight();
    void fill(cached_response response);

   private:
    response_cache* cache_;
    std::string key_;
    std::string model_;
    std::shared_ptr<pending> pending_;
  };

  struct lookup {
    std::shared_ptr<const cached_response> hit;  // set: replay it
    std::optional<flight> lead;                  // set: compute, then fill (or drop)
  };

  explicit response_cache(response_cache_options options);
  response_cache(const response_cache&) = delete;
  response_cache& operator=(const response_cache&) = delete;

  bool enabled() const { return options_.max_bytes > 0; }
  const response_cache_options& options() const { return options_; }

  // A stored, unexpired answer for `key`; else, when another request is computing it, waits for
  // that one (cancellable) and takes its answer; else this caller leads. `model` tags the entry
  // for invalidate_model().
  rt::task<lookup> get_or_lead(std::string key, std::string model);

  // Drops every entry of `model` (it was unloaded or is being reloaded).
  void invalidate_model(const std::string& model);

  response_cache_stats stats() const;

 private:
  struct pending {
    rt::event done;
    std::shared_ptr<const cached_response> result;  // empty: the leader stored nothing
  };
  struct entry {
    std::string key;
    std::string model;
    std::shared_ptr<const cached_response> value;
    rt::time_point stored_at;
    std::size_t bytes = 0;
  };
  using lru_list = std::list<entry>;  // front: most recently used

  std::shared_ptr<const cached_response> find(const std::string& key, rt::time_point now);
  void store(const std::string& key, const std::string& model,
             std::shared_ptr<const cached_response> response);
  void finish(const std::string& key, const std::shared_ptr<pending>& p,
              std::shared_ptr<const cached_response> result);
  void drop(lru_list::iterator it);

  response_cache_options options_;
  lru_list lru_;
  std::unordered_map<std::string, lru_list::iterator> index_;
  std::map<std::string, std::shared_ptr<pending>> pending_;
  std::size_t bytes_ = 0;
  response_cache_stats stats_;
};

}  // namespace hf::serving
