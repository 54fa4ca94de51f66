// The set of a capacity limiter's current borrowers (internal): open addressing with linear
// probing and backward-shift deletion, so a steady stream of acquire/release allocates nothing
// and membership checks stay O(1) however many tokens the limiter has.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace hf::rt {

// Who holds a capacity limiter token: a task (acquire()) or an object (acquire_on_behalf_of).
struct borrower_id {
  const void* object = nullptr;  // set for acquire_on_behalf_of
  std::uint64_t task_id = 0;     // set for acquire(): the task's id (rt::task_info::id)
  bool is_task() const noexcept { return object == nullptr; }
  friend bool operator==(const borrower_id&, const borrower_id&) = default;
};

namespace detail {

class borrower_set {
 public:
  std::size_t size() const noexcept { return size_; }
  bool contains(const borrower_id& b) const noexcept { return find(b) != npos; }
  void insert(const borrower_id& b);  // b must not be present
  bool erase(const borrower_id& b) noexcept;
  template <class F>
  void for_each(F&& fn) const {
    for (std::size_t i = 0; i < capacity_; ++i) {
      if (!empty_slot(slots_[i])) fn(slots_[i]);
    }
  }

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  static bool empty_slot(const borrower_id& b) noexcept {
    return b.object == nullptr && b.task_id == 0;
  }
  std::size_t home(const borrower_id& b) const noexcept {
    std::size_t h = std::hash<const void*>{}(b.object) ^ (b.task_id * 0x9E3779B97F4A7C15ull);
    h ^= h >> 29;
    return (h * 0xBF58476D1CE4E5B9ull >> 7) & (capacity_ - 1);
  }
  std::size_t find(const borrower_id& b) const noexcept;
  void grow();

  std::unique_ptr<borrower_id[]> slots_;
  std::size_t capacity_ = 0;  // a power of two (or 0); kept at most half full
  std::size_t size_ = 0;
};

}  // namespace detail
}  // namespace hf::rt
