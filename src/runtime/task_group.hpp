// Task groups (spec sections 5 and 6): the only way to run tasks concurrently. A group exists only
// inside with_task_group(body), whose exit waits for every child, so no task can outlive it.
// Failures are collected into one exception_group (always a group, even for one failure).
//   co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
//     tg.start_soon(worker(1));                         // a task<T>, or a callable returning one
//     int port = co_await tg.start<int>(serve_on_free_port);   // fn(rt::task_status<int>&)
//     co_return;
//   });
#pragma once
#include <memory>
#include <source_location>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "runtime/detail/core.hpp"
#include "runtime/errors.hpp"
#include "runtime/exception_group.hpp"
#include "runtime/task.hpp"
#include "runtime/task_handle.hpp"

namespace hf::rt {

template <class V = void>
class task_status;

namespace detail {

struct group_state {
  scope_state scope;
  task_state* host = nullptr;
  int live = 0;
  std::vector<std::exception_ptr> failures;
  bool any_cancelled = false;
  bool active = false;
  bool host_waiting = false;
};

// State shared by start() and the child's task_status until started() or the child's end.
struct start_state_base {
  group_state* group = nullptr;
  task_state* child = nullptr;
  task_state* caller = nullptr;
  bool started = false;       // started() was accepted
  bool called = false;        // started() was called at all
  bool child_exited = false;  // exited before started()
  std::exception_ptr exit_error;
  bool exit_cancelled = false;
  void accept_started();      // reparents the child under the group, wakes the caller
};
template <class V>
struct start_state : start_state_base {
  std::optional<V> value;
};
template <>
struct start_state<void> : start_state_base {};

std::string default_task_name(const std::source_location& loc);
void check_group_active(const group_state* g);
task_state* spawn_child(group_state* g, task<void> main, std::string name, std::source_location origin,
                        std::shared_ptr<handle_state_base> hs, start_state_base* starting);
// Called by every child's wrapper when its body ends (normally or not).
void child_finished(std::exception_ptr error);
// Host side of with_task_group: after the body, before waiting.
task<void> finish_group(group_state* g, std::exception_ptr host_error);
void enter_group(group_state* g);
// Waits (uninterruptibly) for the child of start() to call started() or exit.
task<void> await_start(start_state_base* st);

// `hs` is owned by the task's state (task_state::handle) for as long as this coroutine runs, so a
// plain pointer does (no reference-count traffic per spawn).
template <class T, class F>
task<void> child_main(F body, handle_state<T>* hs) {
  std::exception_ptr error;
  try {
    if constexpr (std::is_void_v<T>) {
      co_await body();
    } else {
      hs->value.emplace(co_await body());
    }
  } catch (...) {
    error = std::current_exception();
  }
  child_finished(std::move(error));
}

template <class X>
auto as_callable(X&& x) {
  if constexpr (is_task<std::decay_t<X>>::value) {
    // Wrap the task so that the frame owns it: [t = task]() mutable { return std::move(t); }.
    return [t = std::forward<X>(x)]() mutable { return std::move(t); };
  } else {
    return std::forward<X>(x);
  }
}

}  // namespace detail

// A handle to a group (copyable). Spawning through a handle after the group has exited is a
// usage_error (G-4), never undefined behaviour: the handle keeps the group's state alive.
class task_group {
 public:
  explicit task_group(std::shared_ptr<detail::group_state> g) : g_(std::move(g)) {}

  // Spawns `work` (a task<T>, or a callable returning one, which the task keeps alive) as a child.
  // Runs nothing before returning (G-2). Usage error once the group has exited (G-4).
  template <class W>
  auto start_soon(W&& work, std::string name = {},
                  std::source_location loc = std::source_location::current()) {
    detail::check_group_active(g_.get());
    auto fn = detail::as_callable(std::forward<W>(work));
    using T = typename std::invoke_result_t<decltype(fn)&>::value_type;
    auto hs = std::allocate_shared<detail::handle_state<T>>(
        detail::frame_pool_allocator<detail::handle_state<T>>());
    detail::spawn_child(g_.get(), detail::child_main<T>(std::move(fn), hs.get()),
                        std::move(name), loc, hs, nullptr);
    return task_handle<T>(std::move(hs));
  }

  // Spawns fn(status, args...) and waits until it calls status.started(v); returns v (G-5).
  template <class V = void, class F, class... A>
  task<V> start(F fn, A... args) {
    auto h = co_await start_with_handle<V>(std::move(fn), std::move(args)...);
    if constexpr (!std::is_void_v<V>) co_return h.template start_value<V>();
  }

  // Like start(), but returns the child's handle; its start_value<V>() is what started() got.
  template <class V = void, class F, class... A>
  auto start_with_handle(F fn, A... args)
      -> task<task_handle<typename std::invoke_result_t<F, task_status<V>&, A...>::value_type>>;

  void cancel(std::string_view reason = {});
  bool cancel_called() const { return g_->scope.cancel_called; }
  detail::group_state* state_for_test() const { return g_.get(); }

 private:
  std::shared_ptr<detail::group_state> g_;
};

// Given to a child started with task_group::start; started(v) releases the start() call.
template <class V>
class task_status {
 public:
  explicit task_status(detail::start_state<V>* s) : s_(s) {}
  template <class U = V>
    requires(!std::is_void_v<U>)
  void started(U v) {
    mark_called();
    if (!s_) return;
    s_->value.emplace(std::move(v));
    s_->accept_started();
  }
  void started()
    requires std::is_void_v<V>
  {
    mark_called();
    if (s_) s_->accept_started();
  }

 private:
  void mark_called() {
    if (called_) throw usage_error("called 'started' twice on the same task status");
    called_ = true;
  }
  detail::start_state<V>* s_;
  bool called_ = false;
};

template <class V, class F, class... A>
auto task_group::start_with_handle(F fn, A... args)
    -> task<task_handle<typename std::invoke_result_t<F, task_status<V>&, A...>::value_type>> {
  using R = typename std::invoke_result_t<F, task_status<V>&, A...>::value_type;
  detail::check_group_active(g_.get());
  auto st = std::make_shared<detail::start_state<V>>();
  auto hs = std::make_shared<detail::handle_state<R>>();
  hs->created_by_start = true;
  auto body = [st, fn = std::move(fn), ... args = std::move(args)]() mutable -> task<R> {
    task_status<V> status(st.get());
    co_return co_await fn(status, std::move(args)...);
  };
  detail::spawn_child(g_.get(), detail::child_main<R>(std::move(body), hs.get()), "start()", {}, hs, st.get());
  co_await detail::await_start(st.get());
  if constexpr (!std::is_void_v<V>) hs->start_value = *st->value;
  co_return task_handle<R>(std::move(hs));
}

// Runs body(group) in a new task group; returns when the body and every child have ended.
// Raises exception_group with every real failure, or one plain `cancelled` if an outer scope
// cancelled it (E-2).
template <class F>
task<void> with_task_group(F body) {
  auto g = std::make_shared<detail::group_state>();
  detail::enter_group(g.get());
  std::exception_ptr host_error;
  try {
    task_group tg(g);
    co_await body(tg);
  } catch (...) {
    host_error = std::current_exception();
  }
  co_await detail::finish_group(g.get(), std::move(host_error));
}

}  // namespace hf::rt
