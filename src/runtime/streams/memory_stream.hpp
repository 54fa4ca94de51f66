// Memory object streams (spec 6b, 10.14): a send end and a receive end passing items of T between
// tasks, with a buffer of max_buffer_size items (0 = rendezvous, rt::unbounded = no limit). Each
// end can be cloned; an end counts as closed once every clone is closed (or destroyed). send and
// receive are checkpoints; the *_nowait forms, close() and clone() are synchronous. Loop thread
// only. Closing a handle fails its own blocked send/receive with closed_resource_error; a handle
// must not be moved or destroyed while one of its own calls is in progress.
//   auto [tx, rx] = rt::create_memory_object_stream<std::string>(/*max_buffer_size=*/16);
//   tg.start_soon([tx = std::move(tx)]() mutable -> rt::task<void> { co_await tx.send("hi"); });
//   while (auto item = co_await rx.receive_or_end()) use(*item);   // ends when senders close
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "runtime/streams/memory_stream_state.hpp"
#include "runtime/sync/size_limit.hpp"
#include "runtime/task.hpp"

namespace hf::rt {

template <class T>
class send_stream {
 public:
  send_stream() noexcept = default;  // a closed end
  explicit send_stream(std::shared_ptr<detail::stream_state<T>> s) noexcept
      : s_(std::move(s)), closed_(false) {}  // internal: use create_memory_object_stream
  send_stream(send_stream&& o) noexcept
      : s_(std::move(o.s_)), closed_(std::exchange(o.closed_, true)) {}
  send_stream& operator=(send_stream&& o) noexcept {
    if (this != &o) {
      close();
      s_ = std::move(o.s_);
      closed_ = std::exchange(o.closed_, true);
    }
    return *this;
  }
  send_stream(const send_stream&) = delete;
  send_stream& operator=(const send_stream&) = delete;
  // Destroying the last open handle of the send side closes it (P-90).
  ~send_stream() { close(); }

  // Full checkpoint, then M-2; blocks while the buffer is full and no receiver waits.
  // closed_resource_error on a closed end; broken_resource_error once every receive end is closed
  // (also while blocked). A cancelled blocked send withdraws its item: no receiver gets it.
  task<void> send(T item);
  // M-2 without blocking: would_block if the item cannot go anywhere now. `item` is moved from
  // only on success, so a move-only item survives a would_block.
  void send_nowait(T&& item) { send_now(item); }
  void send_nowait(const T& item) requires std::is_copy_constructible_v<T> {
    T copy(item);
    send_now(copy);
  }
  // Another open handle of the same send side. closed_resource_error if this one is closed.
  send_stream clone() const {
    detail::stream_state<T>& st = open_state("send_stream::clone");
    ++st.open_send;
    return send_stream(s_);
  }
  // Synchronous and idempotent. A send blocked on this handle fails with closed_resource_error;
  // the last send end to close wakes receivers with end_of_stream.
  void close() noexcept {
    if (closed_) return;
    closed_ = true;
    s_->abort_waiters_of(this);
    s_->close_send();
  }
  bool closed() const noexcept { return closed_; }
  memory_stream_statistics statistics() const {
    return state("send_stream::statistics").statistics();
  }

 private:
  detail::stream_state<T>& state(const char* what) const {
    if (!s_) throw closed_resource_error(std::string(what) + ": the stream end was moved from");
    return *s_;
  }
  detail::stream_state<T>& open_state(const char* what) const {
    if (closed_) throw closed_resource_error(std::string(what) + ": this send end is closed");
    return *s_;
  }
  void send_now(T& item) {
    if (!open_state("send_stream::send_nowait").try_send(item)) throw would_block();
  }

  std::shared_ptr<detail::stream_state<T>> s_;
  bool closed_ = true;
};

template <class T>
class receive_stream {
 public:
  receive_stream() noexcept = default;  // a closed end
  explicit receive_stream(std::shared_ptr<detail::stream_state<T>> s) noexcept
      : s_(std::move(s)), closed_(false) {}  // internal: use create_memory_object_stream
  receive_stream(receive_stream&& o) noexcept
      : s_(std::move(o.s_)), closed_(std::exchange(o.closed_, true)) {}
  receive_stream& operator=(receive_stream&& o) noexcept {
    if (this != &o) {
      close();
      s_ = std::move(o.s_);
      closed_ = std::exchange(o.closed_, true);
    }
    return *this;
  }
  receive_stream(const receive_stream&) = delete;
  receive_stream& operator=(const receive_stream&) = delete;
  // Destroying the last open handle of the receive side closes it (P-90).
  ~receive_stream() { close(); }

  // Full checkpoint, then M-3; blocks while nothing is available. end_of_stream once the buffer
  // is empty and every send end is closed; closed_resource_error on a closed end. An item handed
  // to this receiver is returned even if a cancellation arrives afterwards (C-6).
  task<T> receive();
  // Like receive(), but the end of the stream is an empty optional (for loops).
  task<std::optional<T>> receive_or_end();
  // M-3 without blocking: would_block, or end_of_stream when drained and every sender is closed.
  T receive_nowait() {
    std::optional<T> out;
    switch (open_state("receive_stream::receive_nowait").try_receive(out)) {
      case detail::receive_status::got:
        return std::move(*out);
      case detail::receive_status::end:
        throw end_of_stream();
      case detail::receive_status::would_block:
        break;
    }
    throw would_block();
  }
  receive_stream clone() const {
    detail::stream_state<T>& st = open_state("receive_stream::clone");
    ++st.open_receive;
    return receive_stream(s_);
  }
  // Synchronous and idempotent. A receive blocked on this handle fails with
  // closed_resource_error; the last receive end to close wakes blocked senders with
  // broken_resource_error. Items still buffered stay there, unreachable.
  void close() noexcept {
    if (closed_) return;
    closed_ = true;
    s_->abort_waiters_of(this);
    s_->close_receive();
  }
  bool closed() const noexcept { return closed_; }
  memory_stream_statistics statistics() const {
    return state("receive_stream::statistics").statistics();
  }

 private:
  detail::stream_state<T>& state(const char* what) const {
    if (!s_) throw closed_resource_error(std::string(what) + ": the stream end was moved from");
    return *s_;
  }
  detail::stream_state<T>& open_state(const char* what) const {
    if (closed_) throw closed_resource_error(std::string(what) + ": this receive end is closed");
    return *s_;
  }

  std::shared_ptr<detail::stream_state<T>> s_;
  bool closed_ = true;
};

// A connected pair of ends. argument_error unless max_buffer_size is a non-negative integer or
// infinity (rt::unbounded, or a double +infinity) (P-76).
template <class T>
std::pair<send_stream<T>, receive_stream<T>> create_memory_object_stream(
    size_limit max_buffer_size = 0) {
  auto st = std::make_shared<detail::stream_state<T>>(
      max_buffer_size.checked("create_memory_object_stream: max_buffer_size"));
  return {send_stream<T>(st), receive_stream<T>(st)};
}

template <class T>
task<void> send_stream<T>::send(T item) {
  co_await detail::stream_checkpoint("send_stream::send");
  detail::stream_state<T>& st = open_state("send_stream::send");
  if (st.try_send(item)) co_return;
  detail::send_waiter<T> w;
  w.item = &item;
  w.handle = this;
  co_await detail::park_in(st.senders, w);
  switch (detail::finish_wait(w.task, w, "memory object stream")) {
    case detail::wake_reason::closed:
      throw broken_resource_error("send_stream::send: every receive end was closed");
    case detail::wake_reason::own_closed:
      throw closed_resource_error("send_stream::send: this send end was closed");
    default:
      break;
  }
}

template <class T>
task<T> receive_stream<T>::receive() {
  co_await detail::stream_checkpoint("receive_stream::receive");
  detail::stream_state<T>& st = open_state("receive_stream::receive");
  {
    std::optional<T> out;
    switch (st.try_receive(out)) {
      case detail::receive_status::got:
        co_return std::move(*out);
      case detail::receive_status::end:
        throw end_of_stream();
      case detail::receive_status::would_block:
        break;
    }
  }
  detail::receive_waiter<T> w;
  w.handle = this;
  co_await detail::park_in(st.receivers, w);
  switch (detail::finish_wait(w.task, w, "memory object stream")) {
    case detail::wake_reason::closed:
      throw end_of_stream();
    case detail::wake_reason::own_closed:
      throw closed_resource_error("receive_stream::receive: this receive end was closed");
    default:
      break;
  }
  co_return std::move(*w.slot);
}

template <class T>
task<std::optional<T>> receive_stream<T>::receive_or_end() {
  co_await detail::stream_checkpoint("receive_stream::receive_or_end");
  detail::stream_state<T>& st = open_state("receive_stream::receive_or_end");
  {
    std::optional<T> out;
    switch (st.try_receive(out)) {
      case detail::receive_status::got:
        co_return std::move(out);
      case detail::receive_status::end:
        co_return std::nullopt;
      case detail::receive_status::would_block:
        break;
    }
  }
  detail::receive_waiter<T> w;
  w.handle = this;
  co_await detail::park_in(st.receivers, w);
  switch (detail::finish_wait(w.task, w, "memory object stream")) {
    case detail::wake_reason::closed:
      co_return std::nullopt;
    case detail::wake_reason::own_closed:
      throw closed_resource_error("receive_stream::receive_or_end: this receive end was closed");
    default:
      break;
  }
  co_return std::move(w.slot);
}

}  // namespace hf::rt
