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

}  // namespace hf::rt::detail
