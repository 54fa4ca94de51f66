// A minimal intrusive doubly linked list: O(1) unlink from the middle without allocation, which is
// what wait queues (withdrawal on cancel, C-6) and the scope tree need.
#pragma once
#include <cstddef>

namespace hf::rt::detail {

struct list_hook {
  list_hook* prev = nullptr;
  list_hook* next = nullptr;
  bool linked() const noexcept { return prev != nullptr; }
};

// GCC 12 at -O2 reports -Warray-bounds false positives when it inlines unlinking through a
// waiter that lives in a coroutine frame (it loses track of the object's extent); the accesses
// are to live, linked nodes.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"

// T must derive from list_hook (once per list it can be in: use tag types otherwise).
template <class T, class Hook = list_hook>
class intrusive_list {
 public:
  intrusive_list() noexcept { head_.prev = head_.next = &head_; }
  intrusive_list(const intrusive_list&) = delete;
  intrusive_list& operator=(const intrusive_list&) = delete;

  bool empty() const noexcept { return head_.next == &head_; }
  std::size_t size() const noexcept { return size_; }

  void push_back(T* item) noexcept { insert_before(&head_, hook(item)); }
  void push_front(T* item) noexcept { insert_before(head_.next, hook(item)); }
  T* front() const noexcept { return empty() ? nullptr : item(head_.next); }
  T* pop_front() noexcept {
    if (empty()) return nullptr;
    T* t = item(head_.next);
    erase(t);
    return t;
  }
  void erase(T* it) noexcept {
    Hook* h = hook(it);
    h->prev->next = h->next;
    h->next->prev = h->prev;
    h->prev = h->next = nullptr;
    --size_;
  }
  static bool linked(const T* it) noexcept { return static_cast<const Hook*>(it)->prev != nullptr; }

  template <class F>
  void for_each(F&& fn) const {
    for (list_hook* h = head_.next; h != &head_;) {
      list_hook* next = h->next;  // fn may unlink the current item
      fn(item(h));
      h = next;
    }
  }

 private:
  static Hook* hook(T* t) noexcept { return static_cast<Hook*>(t); }
  static T* item(list_hook* h) noexcept { return static_cast<T*>(static_cast<Hook*>(h)); }
  void insert_before(list_hook* pos, Hook* h) noexcept {
    h->next = pos;
    h->prev = pos->prev;
    pos->prev->next = h;
    pos->prev = h;
    ++size_;
  }
  list_hook head_;
  std::size_t size_ = 0;
};

#pragma GCC diagnostic pop

}  // namespace hf::rt::detail
