// Coroutine frames are allocated from a per-thread free list of size classes: spawning and
// awaiting small coroutines then costs no malloc in steady state (the task spawn benchmark).
#pragma once
#include <cstddef>

namespace hf::rt::detail {

void* allocate_frame(std::size_t size);
void deallocate_frame(void* p, std::size_t size) noexcept;

struct frame_allocated {
  static void* operator new(std::size_t size) { return allocate_frame(size); }
  static void operator delete(void* p, std::size_t size) noexcept { deallocate_frame(p, size); }
};

// The same pool for std::allocate_shared (a task's handle state, made once per spawn).
template <class T>
struct frame_pool_allocator {
  using value_type = T;
  frame_pool_allocator() noexcept = default;
  template <class U>
  frame_pool_allocator(const frame_pool_allocator<U>&) noexcept {}  // NOLINT: rebinding
  T* allocate(std::size_t n) { return static_cast<T*>(allocate_frame(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { deallocate_frame(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const frame_pool_allocator<U>&) const noexcept { return true; }
};

}  // namespace hf::rt::detail
