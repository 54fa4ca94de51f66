#include "runtime/sync/wait_queue.hpp"

#include <cassert>
#include <string>

#include "runtime/checkpoint.hpp"
#include "runtime/errors.hpp"

namespace hf::rt::detail {

wait_queue::~wait_queue() {
  wake_all(wake_reason::destroyed);
}

void wait_queue::park(loop& lp, task_state* t, waiter& w, std::coroutine_handle<> h) {
  w.lp = &lp;
  w.task = t;
  w.queue = this;
  w.reason = wake_reason::none;
  list_.push_back(&w);
  lp.park(t, h, &wait_queue::on_abort, static_cast<void*>(&w));
}

abort_result wait_queue::on_abort(task_state* t) {
  auto* w = static_cast<waiter*>(t->wait_ctx);
  if (w->shielded) return abort_result::failed;
  w->queue->list_.erase(w);
  w->queue = nullptr;
  return abort_result::succeeded;
}

waiter* wait_queue::pop_live() {
  while (waiter* w = list_.pop_front()) {
    w->queue = nullptr;
    if (!w->shielded && is_cancelled(w->task)) {
      // Cancelled but not yet withdrawn: it must not take the grant (C-6); it raises instead.
      w->lp->reschedule(w->task, /*cancelled=*/true);
      continue;
    }
    return w;
  }
  return nullptr;
}

void wait_queue::wake_all(wake_reason r) {
  while (waiter* w = list_.pop_front()) {
    w->queue = nullptr;
    wake(w, r);
  }
}

wake_reason finish_wait(task_state* t, waiter& w, const char* what) {
  switch (w.reason) {
    case wake_reason::granted:
    case wake_reason::closed:
    case wake_reason::own_closed:
      return w.reason;
    case wake_reason::destroyed:
      throw usage_error(std::string(what) + " was destroyed while tasks were waiting on it");
    case wake_reason::none:
      break;
  }
  assert(t->wake_cancelled);
  t->wake_cancelled = false;
  raise_cancelled(*w.lp, t);
}

}  // namespace hf::rt::detail
