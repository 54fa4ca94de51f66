// Internal state of the runtime: runtime tasks, the cancel-scope tree, timers and the event loop.
// Not part of the public API; public headers (task_group.hpp, cancel_scope.hpp, sync/*.hpp, ...)
// build on these. Everything here is touched only on the loop's thread, except loop::post.
#pragma once
#include <atomic>
#include <coroutine>
#include <source_location>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "runtime/detail/frame_allocator.hpp"
#include "runtime/clock.hpp"
#include "runtime/detail/intrusive_list.hpp"
#include "runtime/task.hpp"

namespace hf::rt {
enum class scheduling_policy { fifo, lifo, shuffled };
namespace io {
class backend;
}
}  // namespace hf::rt

namespace hf::rt::detail {

struct task_state;
struct scope_state;
struct group_state;
class loop;

// What a blocked operation's abort hook reports when a cancellation reaches it (C-5, C-6):
// `succeeded` = the wait was withdrawn and nothing happened, the task raises `cancelled`;
// `failed` = the operation is committed or cannot be withdrawn now; it will wake the task itself.
enum class abort_result { succeeded, failed };
using abort_fn = abort_result (*)(task_state*);

struct timer {
  time_point when = no_deadline;
  void (*fire)(timer*) = nullptr;
  void* ctx = nullptr;
  std::multimap<time_point, timer*>::iterator pos;
  bool armed = false;
};

struct scope_task_hook : list_hook {};
struct scope_child_hook : list_hook {};
struct all_tasks_hook : list_hook {};
struct wait_hook : list_hook {};

struct scope_state : scope_child_hook {
  scope_state* parent = nullptr;
  intrusive_list<scope_state, scope_child_hook> children;
  intrusive_list<task_state, scope_task_hook> tasks;  // tasks whose innermost scope this is
  time_point deadline = no_deadline;
  timer deadline_timer;
  bool shield = false;
  bool cancel_called = false;
  bool cancelled_caught = false;
  bool deadline_cause = false;  // cancel_called was set by deadline expiry (D-7)
  bool entered = false;
  bool exited = false;
  bool is_task_scope = false;   // the private scope of a spawned task (G-6)
  std::string cancel_message;
  task_state* owner = nullptr;  // task that entered it
  loop* lp = nullptr;
};

struct handle_state_base;
struct start_state_base;

// Pooled (frame_allocated): one is made per spawn.
struct task_state : scope_task_hook, all_tasks_hook, wait_hook, frame_allocated {
  std::uint64_t id = 0;
  std::uint64_t parent_id = 0;
  std::string name;              // empty: named after `origin` when asked (see task_name)
  std::source_location origin;   // where start_soon was called
  scope_state* scope = nullptr;  // innermost scope
  scope_state private_scope;     // G-6: handle.cancel() cancels exactly this
  std::coroutine_handle<> resume_point;
  task<void> main;               // root coroutine of this runtime task
  // Blocking state.
  bool blocked = false;
  bool ready = false;
  bool wake_cancelled = false;
  abort_fn abort = nullptr;
  void* wait_ctx = nullptr;      // owned by the blocked operation
  // Membership.
  group_state* group = nullptr;
  std::shared_ptr<handle_state_base> handle;
  // start(): the task that awaits started(); null once started or for start_soon children.
  start_state_base* start = nullptr;
  // Worker threads: set while this task waits in to_thread (from_thread needs the caller scope).
  scope_state* thread_caller_scope = nullptr;
};

// Effective cancellation (C-3): first cancelled scope reachable from s outwards, stopping after the
// first shielded scope (included). Null if none.
// Inline: every checkpoint and every blocking operation asks it, often twice.
inline scope_state* effective_cancel(scope_state* s) noexcept {
  for (; s; s = s->parent) {
    if (s->cancel_called) return s;
    if (s->shield) break;
  }
  return nullptr;
}

// A task's name for messages and introspection: the one given to start_soon, else
// "task@file:line" of the start_soon call (built only when asked: spawning stays cheap).
std::string task_name(const task_state* t);
// D-6: minimum deadline along the same search; past_deadline if cancelled.
time_point effective_deadline(scope_state* s) noexcept;
// C-7: whether s absorbs a cancellation that reaches its exit.
bool scope_absorbs(const scope_state* s) noexcept;
// Applies C-7 absorption at scope s to an in-flight exception: returns null when absorbed,
// the (possibly reduced) exception otherwise; sets s->cancelled_caught as the rule says.
std::exception_ptr absorb_at_exit(scope_state* s, std::exception_ptr e);

class loop {
 public:
  loop(std::unique_ptr<io::backend> backend, std::shared_ptr<clock_source> clock,
       scheduling_policy policy, std::uint64_t seed);
  ~loop();
  loop(const loop&) = delete;
  loop& operator=(const loop&) = delete;

  static loop* current() noexcept;
  static loop& require(const char* what);  // usage_error outside a run
  task_state* current_task() const noexcept { return current_; }

  // --- tasks
  // Creates a runtime task for `main` (not run before the next scheduling pass, G-2).
  task_state* spawn(task<void> main, std::string name, scope_state* parent_scope,
                    std::uint64_t parent_id, group_state* group);
  void make_ready(task_state* t);
  // Suspends the current task at h until reschedule(); `abort` decides what a cancellation does.
  void park(task_state* t, std::coroutine_handle<> h, abort_fn abort, void* ctx);
  // Wakes a parked task; `cancelled` makes its operation raise the pending cancellation.
  void reschedule(task_state* t, bool cancelled);
  // Re-queues the current task behind every task that is ready now (a scheduling point, K-5).
  void yield(task_state* t, std::coroutine_handle<> h);
  const intrusive_list<task_state, all_tasks_hook>& live_tasks() const { return all_; }
  std::size_t live_task_count() const { return all_.size(); }

  // --- scopes
  void enter_scope(task_state* t, scope_state* s);
  void exit_scope(task_state* t, scope_state* s);
  void attach_scope(scope_state* s, scope_state* parent);
  void detach_scope(scope_state* s);
  void cancel_scope(scope_state* s, std::string message, bool by_deadline);
  void set_deadline(scope_state* s, time_point d);
  void set_shield(scope_state* s, bool shield);
  // Wakes every blocked task under s that can see a cancellation (C-5).
  void deliver_cancel(scope_state* s);
  std::string cancel_message_for(task_state* t) const;

  // --- time
  time_point now() const { return clock_->now(); }
  clock_source& clock() { return *clock_; }
  void arm(timer* tm, time_point when);
  void disarm(timer* tm);

  // --- idle detection (spec section 9)
  void add_idle_waiter(task_state* t) { idle_waiters_.push_back(t); }
  void remove_idle_waiter(task_state* t);

  // --- worker threads and cross-thread calls
  // Thread-safe: runs fn on the loop thread soon. Returns false if the loop has finished.
  bool post(std::function<void()> fn);
  void thread_work_started() { ++threads_busy_; }
  void thread_work_finished() { --threads_busy_; }
  // The run's worker-thread pool (runtime/threads), created on first use; ended with the loop.
  std::shared_ptr<void>& thread_pool_slot() { return thread_pool_; }

  io::backend& io() { return *backend_; }

  // Runs until `root` has finished (and any system tasks). Called by rt::run.
  void run_until_done(task_state* root);
  std::uint64_t next_task_id() { return ++last_task_id_; }
  struct shared_token;
  std::shared_ptr<shared_token> token() const { return token_; }

 private:
  void run_batch();
  void fire_timers();
  void drain_posts();
  void finish_task(task_state* t);
  bool can_autojump() const;

  std::unique_ptr<io::backend> backend_;
  std::shared_ptr<clock_source> clock_;
  scheduling_policy policy_;
  std::mt19937_64 rng_;
  std::vector<task_state*> ready_;
  std::vector<task_state*> batch_;
  std::vector<task_state*> yielded_;
  task_state* root_ = nullptr;
  bool root_finished_ = false;
  std::multimap<time_point, timer*> timers_;
  intrusive_list<task_state, all_tasks_hook> all_;
  std::vector<task_state*> idle_waiters_;
  task_state* current_ = nullptr;
  std::uint64_t last_task_id_ = 0;
  int threads_busy_ = 0;
  std::shared_ptr<shared_token> token_;
  std::shared_ptr<void> thread_pool_;  // last member: ended first, while the backend is still open
};

// Shared with worker threads and foreign threads (rt::current_token): the post queue outlives the
// loop so that late callers get run_finished_error instead of touching freed memory.
struct loop::shared_token {
  std::mutex mutex;
  std::vector<std::function<void()>> posts;
  std::atomic<bool> has_posts{false};
  bool finished = false;          // guarded by mutex
  io::backend* backend = nullptr; // guarded by mutex; used to wake the loop
};

}  // namespace hf::rt::detail
