// rt::release_guard<P>: what `co_await p.scoped()` returns for a lock, semaphore, condition or
// capacity limiter; its destructor calls p.release() (synchronous, so RAII works in coroutines).
//   { auto g = co_await lk.scoped(); ... }    // released here, also when an exception unwinds
//   g.release();                              // early release; the destructor then does nothing
// A misuse detected by that release() (e.g. the guard was moved to another task) cannot be thrown
// from a destructor and terminates with the error's message.
#pragma once
#include <utility>

namespace hf::rt {

template <class P>
class [[nodiscard]] release_guard {
 public:
  release_guard() noexcept = default;
  explicit release_guard(P& p) noexcept : p_(&p) {}
  release_guard(release_guard&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  release_guard& operator=(release_guard&& o) noexcept {
    if (this != &o) {
      reset();
      p_ = std::exchange(o.p_, nullptr);
    }
    return *this;
  }
  release_guard(const release_guard&) = delete;
  release_guard& operator=(const release_guard&) = delete;
  ~release_guard() { reset(); }

  bool owns() const noexcept { return p_ != nullptr; }
  // Releases now (may throw the primitive's misuse errors).
  void release() {
    if (P* p = std::exchange(p_, nullptr)) p->release();
  }

 private:
  void reset() noexcept {
    if (P* p = std::exchange(p_, nullptr)) p->release();
  }
  P* p_ = nullptr;
};

}  // namespace hf::rt
