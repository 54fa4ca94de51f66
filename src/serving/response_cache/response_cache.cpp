#include "serving/response_cache/response_cache.hpp"

#include <utility>

#include "runtime/sleep.hpp"

namespace hf::serving {
namespace {
// Bookkeeping per entry and per event beyond their bytes (list node, index slot, string headers),
// so that many tiny answers cannot hold far more memory than --cache-bytes says.
constexpr std::size_t k_entry_overhead = 256;
constexpr std::size_t k_event_overhead = 32;
}  // namespace

std::size_t cached_response::payload_bytes() const {
  std::size_t n = body.size();
  for (const auto& e : events) n += e.size() + k_event_overhead;
  return n;
}

response_cache::flight::flight(response_cache* cache, std::string key, std::string model,
                               std::shared_ptr<pending> p)
    : cache_(cache), key_(std::move(key)), model_(std::move(model)), pending_(std::move(p)) {}

response_cache::flight::flight(flight&& o) noexcept
    : cache_(std::exchange(o.cache_, nullptr)),
      key_(std::move(o.key_)),
      model_(std::move(o.model_)),
      pending_(std::move(o.pending_)) {}

response_cache::flight::~flight() {
  if (cache_) cache_->finish(key_, pending_, nullptr);
}

void response_cache::flight::fill(cached_response response) {
  if (!cache_) return;
  response_cache* cache = std::exchange(cache_, nullptr);
  auto shared = std::make_shared<const cached_response>(std::move(response));
  cache->store(key_, model_, shared);
  cache->finish(key_, pending_, std::move(shared));
}

response_cache::response_cache(response_cache_options options) : options_(options) {}

rt::task<response_cache::lookup> response_cache::get_or_lead(std::string key, std::string model) {
  if (!enabled()) {
    ++stats_.misses;
    co_return lookup{nullptr, flight(nullptr, {}, {}, nullptr)};
  }
  for (;;) {
    if (auto hit = find(key, rt::current_time())) {
      ++stats_.hits;
      co_return lookup{std::move(hit), std::nullopt};
    }
    auto it = pending_.find(key);
    if (it == pending_.end()) {
      auto p = std::make_shared<pending>();
      pending_.emplace(key, p);
      ++stats_.misses;
      co_return lookup{nullptr, flight(this, std::move(key), std::move(model), std::move(p))};
    }
    std::shared_ptr<pending> p = it->second;  // keeps it alive past the leader's finish()
    co_await p->done.wait();
    if (p->result) {
      ++stats_.hits;
      co_return lookup{p->result, std::nullopt};  // shared by every waiter: copied
    }
    // The leader stored nothing: look again (another waiter may have become the leader).
  }
}

std::shared_ptr<const cached_response> response_cache::find(const std::string& key,
                                                            rt::time_point now) {
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  auto pos = it->second;
  if (options_.ttl > rt::duration{0} && now - pos->stored_at >= options_.ttl) {
    ++stats_.expired;
    drop(pos);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, pos);
  return pos->value;
}

void response_cache::store(const std::string& key, const std::string& model,
                           std::shared_ptr<const cached_response> response) {
  const std::size_t bytes = key.size() + response->payload_bytes() + k_entry_overhead;
  if (bytes > options_.max_bytes) return;  // larger than the whole cache: not kept
  if (auto it = index_.find(key); it != index_.end()) drop(it->second);
  while (bytes_ + bytes > options_.max_bytes && !lru_.empty()) {
    ++stats_.evicted;
    drop(std::prev(lru_.end()));
  }
  lru_.push_front(entry{key, model, std::move(response), rt::current_time(), bytes});
  index_[key] = lru_.begin();
  bytes_ += bytes;
  ++stats_.stored;
}

void response_cache::finish(const std::string& key, const std::shared_ptr<pending>& p,
                            std::shared_ptr<const cached_response> result) {
  if (!p) return;  // the cache is off: nobody waits
  auto it = pending_.find(key);
  if (it != pending_.end() && it->second == p) pending_.erase(it);
  p->result = std::move(result);
  p->done.set();
}

void response_cache::drop(lru_list::iterator it) {
  bytes_ -= it->bytes;
  index_.erase(it->key);
  lru_.erase(it);
}

void response_cache::invalidate_model(const std::string& model) {
  for (auto it = lru_.begin(); it != lru_.end();) {
    auto next = std::next(it);
    if (it->model == model) {
      ++stats_.invalidated;
      drop(it);
    }
    it = next;
  }
}

response_cache_stats response_cache::stats() const {
  response_cache_stats s = stats_;
  s.entries = lru_.size();
  s.bytes = bytes_;
  return s;
}

}  // namespace hf::serving
