// A growable FIFO ring of T (internal, for memory object streams): push at the back, pop at the
// front, no allocation once it has grown to the working size (std::deque frees and reallocates
// blocks as items pass through). Works for move-only T.
#pragma once
#include <cstddef>
#include <memory>
#include <utility>

namespace hf::rt::detail {

template <class T>
class ring_buffer {
 public:
  ring_buffer() noexcept = default;
  ring_buffer(const ring_buffer&) = delete;
  ring_buffer& operator=(const ring_buffer&) = delete;
  ~ring_buffer() {
    clear();
    if (data_) alloc_.deallocate(data_, capacity_);
  }

  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }

  void push_back(T&& v) {
    if (size_ == capacity_) grow();
    std::construct_at(data_ + ((head_ + size_) & (capacity_ - 1)), std::move(v));
    ++size_;
  }
  T pop_front() {
    T* p = data_ + head_;
    T v = std::move(*p);
    std::destroy_at(p);
    head_ = (head_ + 1) & (capacity_ - 1);
    --size_;
    return v;
  }
  void clear() noexcept {
    while (size_ > 0) {
      std::destroy_at(data_ + head_);
      head_ = (head_ + 1) & (capacity_ - 1);
      --size_;
    }
    head_ = 0;
  }

 private:
  void grow() {
    std::size_t cap = capacity_ ? capacity_ * 2 : 4;
    T* fresh = alloc_.allocate(cap);
    std::size_t i = 0;
    try {
      for (; i < size_; ++i) {
        std::construct_at(fresh + i, std::move_if_noexcept(data_[(head_ + i) & (capacity_ - 1)]));
      }
    } catch (...) {
      std::destroy(fresh, fresh + i);
      alloc_.deallocate(fresh, cap);
      throw;
    }
    std::size_t n = size_;
    clear();
    if (data_) alloc_.deallocate(data_, capacity_);
    data_ = fresh;
    capacity_ = cap;
    head_ = 0;
    size_ = n;
  }

  [[no_unique_address]] std::allocator<T> alloc_;
  T* data_ = nullptr;
  std::size_t capacity_ = 0;  // a power of two (or 0)
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace hf::rt::detail
