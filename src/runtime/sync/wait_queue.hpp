// The FIFO wait queue shared by the sync primitives and memory streams (internal). The node lives
// in the blocked operation's awaiter, so waiting allocates nothing. A cancellation withdraws the
// node inside cancel() itself (C-6), and grants skip waiters that are effectively cancelled.
//   detail::waiter w;  q.park(lp, t, w, h);                      // in await_suspend
//   if (auto* w = q.pop_live()) wait_queue::wake(w, wake_reason::granted);   // in release()
#pragma once
#include <coroutine>
#include <cstddef>

#include "runtime/detail/core.hpp"
#include "runtime/detail/intrusive_list.hpp"

namespace hf::rt::detail {

// Why a parked waiter was woken (a cancellation is recorded in task_state::wake_cancelled).
enum class wake_reason : unsigned char {
  none,        // not woken by the queue's owner (so: cancelled)
  granted,     // the operation was committed for it: unit handed over, item delivered, event set
  closed,      // the other side went away (stream end closed): end_of_stream / broken_resource
  own_closed,  // the handle the task waits through was closed: closed_resource_error
  destroyed,   // the primitive was destroyed while the task waited (misuse): usage_error
};

class wait_queue;

struct waiter : list_hook {
  loop* lp = nullptr;
  task_state* task = nullptr;
  wait_queue* queue = nullptr;  // null once removed
  wake_reason reason = wake_reason::none;
  bool shielded = false;  // cancellation cannot withdraw it (a condition re-taking its lock)
};

class wait_queue {
 public:
  wait_queue() = default;
  wait_queue(const wait_queue&) = delete;
  wait_queue& operator=(const wait_queue&) = delete;
  // Waiters left behind are woken with wake_reason::destroyed, never left dangling.
  ~wait_queue();

  bool empty() const noexcept { return list_.empty(); }
  std::size_t size() const noexcept { return list_.size(); }
  waiter* front() const noexcept { return list_.front(); }
  template <class F>
  void for_each(F&& fn) const {
    list_.for_each(fn);
  }

  // Suspends task t (the current task of lp) at h with w at the back of the queue.
  void park(loop& lp, task_state* t, waiter& w, std::coroutine_handle<> h);
  // Removes and returns the first waiter that may take a grant. Effectively cancelled waiters met
  // on the way are withdrawn and woken to raise `cancelled` (C-6). Null if there is none.
  waiter* pop_live();
  // Wakes a waiter already removed from its queue with outcome r.
  static void wake(waiter* w, wake_reason r) {
    w->reason = r;
    w->lp->reschedule(w->task, /*cancelled=*/false);
  }
  // Removes every waiter and wakes each with outcome r (an event set, a stream end closed).
  void wake_all(wake_reason r);
  // Removes and wakes with outcome r every waiter for which pred(waiter*) is true.
  template <class Pred>
  void wake_if(Pred pred, wake_reason r) {
    list_.for_each([&](waiter* w) {
      if (!pred(w)) return;
      list_.erase(w);
      w->queue = nullptr;
      wake(w, r);
    });
  }

 private:
  static abort_result on_abort(task_state* t);
  intrusive_list<waiter> list_;
};

// Parks the current task in q with w; the caller inspects w (and finish_wait) afterwards.
class park_in {
 public:
  park_in(wait_queue& q, waiter& w) noexcept : q_(&q), w_(&w) {}
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    loop* lp = loop::current();
    q_->park(*lp, lp->current_task(), *w_, h);
  }
  void await_resume() const noexcept {}

 private:
  wait_queue* q_;
  waiter* w_;
};

// After a parked wait resumes: returns the reason when the queue's owner woke it; throws
// `cancelled` if a cancellation withdrew it, usage_error naming `what` if it was destroyed.
wake_reason finish_wait(task_state* t, waiter& w, const char* what);

}  // namespace hf::rt::detail
