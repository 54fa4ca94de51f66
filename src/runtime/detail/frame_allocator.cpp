#include "runtime/detail/frame_allocator.hpp"

#include <array>
#include <cstdlib>
#include <new>

namespace hf::rt::detail {
namespace {
constexpr std::size_t kGranule = 64;
constexpr std::size_t kClasses = 32;  // frames up to 2 KiB are pooled
constexpr std::size_t kMaxCached = 4096;

struct free_node {
  free_node* next;
};

// Trivially destructible, so that the hot path reads it without a thread_local init guard; the
// cached blocks are freed by `pool_owner`, armed on the thread's first malloc (the slow path).
struct pool {
  std::array<free_node*, kClasses> heads{};
  std::array<std::size_t, kClasses> counts{};
};

// Frames may be freed on a different thread than the one that allocated them (a coroutine run
// on a worker); each thread simply caches what it frees.
constinit thread_local pool t_pool{};

struct pool_owner {
  ~pool_owner() {
    for (std::size_t c = 0; c < kClasses; ++c) {
      while (free_node* n = t_pool.heads[c]) {
        t_pool.heads[c] = n->next;
        std::free(n);
      }
      t_pool.counts[c] = 0;
    }
  }
};

void* pooled_malloc(std::size_t bytes) {
  thread_local pool_owner owner;  // first use registers the thread-exit cleanup
  (void)owner;
  void* p = std::malloc(bytes);
  if (!p) throw std::bad_alloc();
  return p;
}

std::size_t size_class(std::size_t size) { return (size + kGranule - 1) / kGranule; }
}  // namespace

void* allocate_frame(std::size_t size) {
#ifdef HFSERVE_SANITIZER_BUILD
  // Sanitizers must see every frame's lifetime: no pooling.
  if (void* p = std::malloc(size)) return p;
  throw std::bad_alloc();
#endif
  std::size_t c = size_class(size);
  if (c < kClasses) {
    if (free_node* n = t_pool.heads[c]) {
      t_pool.heads[c] = n->next;
      --t_pool.counts[c];
      return n;
    }
    return pooled_malloc(c * kGranule);
  }
  void* p = std::malloc(size);
  if (!p) throw std::bad_alloc();
  return p;
}

void deallocate_frame(void* p, std::size_t size) noexcept {
#ifdef HFSERVE_SANITIZER_BUILD
  (void)size;
  std::free(p);
  return;
#endif
  std::size_t c = size_class(size);
  if (c < kClasses && t_pool.counts[c] < kMaxCached) {
    auto* n = static_cast<free_node*>(p);
    n->next = t_pool.heads[c];
    t_pool.heads[c] = n;
    ++t_pool.counts[c];
    return;
  }
  std::free(p);
}

}  // namespace hf::rt::detail
