// The event loop: a ready queue run in batches (so a scheduling point lets every task that was
// ready run first, K-5), a timer map for sleeps and scope deadlines, the scope tree's cancellation
// delivery (C-5), and the I/O backend's poll.
#include <algorithm>
#include <cassert>

#include "runtime/detail/core.hpp"
#include "runtime/errors.hpp"
#include "runtime/io/backend.hpp"

namespace hf::rt::detail {
namespace {
thread_local loop* t_loop = nullptr;
}

loop::loop(std::unique_ptr<io::backend> backend, std::shared_ptr<clock_source> clock,
           scheduling_policy policy, std::uint64_t seed)
    : backend_(std::move(backend)),
      clock_(clock ? std::move(clock) : std::make_shared<steady_clock_source>()),
      policy_(policy),
      rng_(seed),
      token_(std::make_shared<shared_token>()) {
  token_->backend = backend_.get();
  ready_.reserve(64);
  batch_.reserve(64);
}

loop::~loop() {
  {
    std::lock_guard lock(token_->mutex);
    token_->finished = true;
    token_->backend = nullptr;
    token_->posts.clear();
  }
  if (t_loop == this) t_loop = nullptr;
}

loop* loop::current() noexcept { return t_loop; }

loop& loop::require(const char* what) {
  if (!t_loop || !t_loop->current_) {
    throw usage_error(std::string(what) + " must be called from a task inside rt::run");
  }
  return *t_loop;
}

task_state* loop::spawn(task<void> main, std::string name, scope_state* parent_scope,
                        std::uint64_t parent_id, group_state* group) {
  auto* t = new task_state;
  t->id = next_task_id();
  t->parent_id = parent_id;
  t->name = std::move(name);
  t->group = group;
  scope_state& ps = t->private_scope;
  ps.is_task_scope = true;
  ps.entered = true;
  ps.owner = t;
  ps.lp = this;
  attach_scope(&ps, parent_scope);
  ps.tasks.push_back(t);
  t->scope = &ps;
  t->main = std::move(main);
  t->resume_point = t->main.handle();
  all_.push_back(t);
  make_ready(t);
  return t;
}

void loop::make_ready(task_state* t) {
  if (t->ready) return;
  t->ready = true;
  ready_.push_back(t);
}

void loop::park(task_state* t, std::coroutine_handle<> h, abort_fn abort, void* ctx) {
  t->resume_point = h;
  t->blocked = true;
  t->abort = abort;
  t->wait_ctx = ctx;
  t->wake_cancelled = false;
}

void loop::reschedule(task_state* t, bool cancelled_outcome) {
  assert(t->blocked);
  t->blocked = false;
  t->abort = nullptr;
  t->wait_ctx = nullptr;
  t->wake_cancelled = cancelled_outcome;
  make_ready(t);
}

void loop::yield(task_state* t, std::coroutine_handle<> h) {
  t->resume_point = h;
  t->ready = true;
  yielded_.push_back(t);  // after every task ready now, whatever the policy (K-5)
}

// --- scopes ------------------------------------------------------------------------------------

void loop::attach_scope(scope_state* s, scope_state* parent) {
  s->parent = parent;
  if (parent) parent->children.push_back(s);
}

void loop::detach_scope(scope_state* s) {
  if (s->parent && decltype(s->parent->children)::linked(s)) s->parent->children.erase(s);
}

void loop::enter_scope(task_state* t, scope_state* s) {
  if (s->entered) throw usage_error("a cancel scope can be entered only once");
  s->entered = true;
  s->owner = t;
  s->lp = this;
  attach_scope(s, t->scope);
  t->scope->tasks.erase(t);
  s->tasks.push_back(t);
  t->scope = s;
  if (!s->cancel_called && s->deadline != no_deadline) {
    if (s->deadline <= now()) {
      cancel_scope(s, "cancelled: deadline exceeded", /*by_deadline=*/true);
    } else {
      s->deadline_timer.ctx = s;
      s->deadline_timer.fire = [](timer* tm) {
        auto* sc = static_cast<scope_state*>(tm->ctx);
        sc->lp->cancel_scope(sc, "cancelled: deadline exceeded", /*by_deadline=*/true);
      };
      arm(&s->deadline_timer, s->deadline);
    }
  }
}

void loop::exit_scope(task_state* t, scope_state* s) {
  if (s->owner != t) throw usage_error("a cancel scope must be exited by the task that entered it");
  if (t->scope != s) throw usage_error("cancel scopes must be exited in the reverse order of entry");
  s->exited = true;
  disarm(&s->deadline_timer);
  s->tasks.erase(t);
  t->scope = s->parent;
  if (t->scope) t->scope->tasks.push_back(t);
  detach_scope(s);
}

void loop::cancel_scope(scope_state* s, std::string message, bool by_deadline) {
  if (s->cancel_called) return;
  s->cancel_called = true;
  s->deadline_cause = by_deadline;
  s->cancel_message = std::move(message);
  disarm(&s->deadline_timer);
  if (s->entered && !s->exited) deliver_cancel(s);
}

void loop::deliver_cancel(scope_state* s) {
  s->tasks.for_each([this](task_state* t) {
    if (t->blocked && t->abort && t->abort(t) == abort_result::succeeded) reschedule(t, true);
  });
  s->children.for_each([this](scope_state* c) {
    if (!c->shield) deliver_cancel(c);
  });
}

void loop::set_deadline(scope_state* s, time_point d) {
  s->deadline = d;
  if (!s->entered || s->exited || s->cancel_called) return;
  disarm(&s->deadline_timer);
  if (d == no_deadline) return;
  if (d <= now()) {
    cancel_scope(s, "cancelled: deadline exceeded", /*by_deadline=*/true);
  } else {
    s->deadline_timer.ctx = s;
    s->deadline_timer.fire = [](timer* tm) {
      auto* sc = static_cast<scope_state*>(tm->ctx);
      sc->lp->cancel_scope(sc, "cancelled: deadline exceeded", /*by_deadline=*/true);
    };
    arm(&s->deadline_timer, d);
  }
}

void loop::set_shield(scope_state* s, bool shield) {
  bool was = s->shield;
  s->shield = shield;
  // Clearing a shield exposes a pending outer cancellation at once (C-8).
  if (was && !shield && s->entered && !s->exited && effective_cancel(s->parent)) deliver_cancel(s);
}

std::string loop::cancel_message_for(task_state* t) const {
  scope_state* s = effective_cancel(t->scope);
  return s ? s->cancel_message : std::string("cancelled");
}

// --- timers ------------------------------------------------------------------------------------

void loop::arm(timer* tm, time_point when) {
  disarm(tm);
  tm->when = when;
  tm->pos = timers_.emplace(when, tm);
  tm->armed = true;
}

void loop::disarm(timer* tm) {
  if (!tm->armed) return;
  timers_.erase(tm->pos);
  tm->armed = false;
}

void loop::fire_timers() {
  if (timers_.empty()) return;
  time_point t = now();
  while (!timers_.empty() && timers_.begin()->first <= t) {
    timer* tm = timers_.begin()->second;
    timers_.erase(timers_.begin());
    tm->armed = false;
    tm->fire(tm);
  }
}

void loop::remove_idle_waiter(task_state* t) {
  auto it = std::find(idle_waiters_.begin(), idle_waiters_.end(), t);
  if (it != idle_waiters_.end()) idle_waiters_.erase(it);
}

// --- cross-thread ------------------------------------------------------------------------------

bool loop::post(std::function<void()> fn) {
  std::lock_guard lock(token_->mutex);
  if (token_->finished) return false;
  token_->posts.push_back(std::move(fn));
  token_->has_posts.store(true, std::memory_order_release);
  if (token_->backend) token_->backend->wake();
  return true;
}

void loop::drain_posts() {
  if (!token_->has_posts.load(std::memory_order_acquire)) return;
  std::vector<std::function<void()>> posts;
  {
    std::lock_guard lock(token_->mutex);
    posts.swap(token_->posts);
    token_->has_posts.store(false, std::memory_order_relaxed);
  }
  for (auto& fn : posts) fn();
}

// --- running -----------------------------------------------------------------------------------

bool loop::can_autojump() const { return threads_busy_ == 0 && idle_waiters_.empty(); }

void loop::run_batch() {
  batch_.swap(ready_);
  ready_.clear();
  if (policy_ == scheduling_policy::lifo) {
    std::reverse(batch_.begin(), batch_.end());
  } else if (policy_ == scheduling_policy::shuffled) {
    std::shuffle(batch_.begin(), batch_.end(), rng_);
  }
  // Usually one or two tasks: a plain loop, not insert()'s memmove call (measurable per pass).
  for (task_state* t : yielded_) batch_.push_back(t);
  yielded_.clear();
  for (task_state* t : batch_) {
    t->ready = false;
    current_ = t;
    std::coroutine_handle<> h = std::exchange(t->resume_point, {});
    h.resume();
    current_ = nullptr;
    if (t->main.done()) finish_task(t);
  }
  batch_.clear();
}

void loop::finish_task(task_state* t) {
  if (t == root_) root_finished_ = true;
  all_.erase(t);
  if (t->scope) t->scope->tasks.erase(t);
  detach_scope(&t->private_scope);
  delete t;
}

void loop::run_until_done(task_state* root) {
  t_loop = this;
  root_ = root;
  unsigned ticks = 0;
  while (!(root_finished_ && all_.empty())) {
    fire_timers();
    drain_posts();
    if (ready_.empty() && yielded_.empty()) {
      backend_->poll(duration::zero());
      drain_posts();
      fire_timers();
      if (ready_.empty() && yielded_.empty()) {
        if (!idle_waiters_.empty()) {
          // Every task is blocked: wake wait_all_tasks_blocked() callers (spec section 9).
          std::vector<task_state*> w;
          w.swap(idle_waiters_);
          for (task_state* t : w) reschedule(t, false);
          continue;
        }
        time_point next = timers_.empty() ? no_deadline : timers_.begin()->first;
        if (clock_->is_virtual()) {
          if (can_autojump() && clock_->try_autojump(next)) continue;
          backend_->poll(duration(-1));
        } else if (next == no_deadline) {
          backend_->poll(duration(-1));
        } else {
          duration wait = next - now();
          backend_->poll(wait > duration::zero() ? wait : duration::zero());
        }
        continue;
      }
    } else if (backend_->pending() > 0 || (++ticks & 63) == 0) {
      // Keep I/O flowing while tasks keep yielding.
      backend_->poll(duration::zero());
    }
    run_batch();
  }
  t_loop = nullptr;
}

}  // namespace hf::rt::detail
