#include "runtime/sync/borrower_set.hpp"

#include <utility>

namespace hf::rt::detail {

std::size_t borrower_set::find(const borrower_id& b) const noexcept {
  if (size_ == 0) return npos;
  for (std::size_t i = home(b);; i = (i + 1) & (capacity_ - 1)) {
    if (slots_[i] == b) return i;
    if (empty_slot(slots_[i])) return npos;
  }
}

void borrower_set::insert(const borrower_id& b) {
  if ((size_ + 1) * 2 > capacity_) grow();
  std::size_t i = home(b);
  while (!empty_slot(slots_[i])) i = (i + 1) & (capacity_ - 1);
  slots_[i] = b;
  ++size_;
}

bool borrower_set::erase(const borrower_id& b) noexcept {
  std::size_t i = find(b);
  if (i == npos) return false;
  // Backward-shift deletion: move later members of the probe run into the hole, so lookups never
  // need tombstones.
  std::size_t mask = capacity_ - 1;
  for (std::size_t j = (i + 1) & mask; !empty_slot(slots_[j]); j = (j + 1) & mask) {
    std::size_t h = home(slots_[j]);
    // slots_[j] may move to i if its home is not in the cyclic range (i, j].
    bool home_in_range = i <= j ? (h > i && h <= j) : (h > i || h <= j);
    if (!home_in_range) {
      slots_[i] = slots_[j];
      i = j;
    }
  }
  slots_[i] = borrower_id{};
  --size_;
  return true;
}

void borrower_set::grow() {
  std::size_t old_capacity = capacity_;
  std::unique_ptr<borrower_id[]> old = std::move(slots_);
  capacity_ = old_capacity ? old_capacity * 2 : 8;
  slots_ = std::make_unique<borrower_id[]>(capacity_);
  size_ = 0;
  for (std::size_t i = 0; i < old_capacity; ++i) {
    if (!empty_slot(old[i])) insert(old[i]);
  }
}

}  // namespace hf::rt::detail
