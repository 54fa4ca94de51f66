// Completion backend on io_uring (liburing). Ops become SQEs whose user_data is the op; poll()
// submits and reaps CQEs. Cancellation submits an async-cancel and lets the op complete: the
// kernel's answer (-ECANCELED, or a real result that raced it) is always delivered (B-4).
// Wake-ups from other threads arrive as a read on an eventfd that is kept armed.
#include <fcntl.h>
#include <liburing.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "runtime/io/backend.hpp"
#include "runtime/io/syscalls.hpp"

namespace hf::rt::io {
namespace {

constexpr std::uint64_t kWakeTag = 1;
constexpr std::uint64_t kIgnoreTag = 2;
// user_data of the readiness poll that precedes a retried op: the op's address with bit 0 set.
constexpr std::uint64_t kPollBit = 1;
constexpr unsigned kEntries = 256;
constexpr std::size_t kMaxLen = 1u << 30;  // one SQE moves at most this much (len is 32-bit)

class uring_backend final : public backend {
 public:
  uring_backend() {
    int r = io_uring_queue_init(kEntries, &ring_, 0);
    if (r < 0) throw std::system_error(-r, std::generic_category(), "io_uring_queue_init");
    wakefd_ = ::eventfd(0, EFD_CLOEXEC);
    if (wakefd_ < 0) {
      io_uring_queue_exit(&ring_);
      throw std::system_error(errno, std::generic_category(), "eventfd");
    }
    arm_wake();
  }
  ~uring_backend() override {
    io_uring_queue_exit(&ring_);
    ::close(wakefd_);
  }

  std::string_view name() const override { return "io_uring"; }
  bool native_files() const override { return true; }
  std::size_t pending() const override { return in_flight_; }
  bool try_now(op*) override { return false; }

  void forget_fd(int) override {
    // An SQE still in the submission ring names the fd by number; hand it to the kernel now (which
    // takes its own reference to the file) so that a reuse of the number cannot redirect it.
    if (io_uring_sq_ready(&ring_) > 0) io_uring_submit(&ring_);
  }

  void submit(op* o) override {
    o->in_flight = true;
    o->cancel_requested = false;
    o->tried_now = false;
    ++in_flight_;
    queue_op(o);
  }

  void kick() noexcept override {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wakefd_, &one, sizeof one);
  }

  bool try_cancel(op* o) override {
    if (!o->in_flight || o->cancel_requested) return false;
    o->cancel_requested = true;
    io_uring_sqe* sqe = get_sqe();
    io_uring_prep_cancel64(sqe, user_data_of(o), 0);
    io_uring_sqe_set_data64(sqe, kIgnoreTag);
    return false;
  }

  void poll(duration timeout) override {
    io_uring_cqe* cqe = nullptr;
    if (consume_wake() || io_uring_cq_ready(&ring_) > 0) timeout = duration::zero();
    bool slept = timeout != duration::zero() && begin_sleep();
    if (!slept) timeout = duration::zero();
    if (timeout == duration::zero()) {
      if (io_uring_sq_ready(&ring_) > 0) io_uring_submit(&ring_);
    } else if (timeout < duration::zero()) {
      io_uring_submit_and_wait(&ring_, 1);
    } else {
      auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
      __kernel_timespec ts{ns / 1000000000, ns % 1000000000};
      io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr);
    }
    if (slept) end_sleep();
    reap();
  }

 private:
  static std::uint64_t user_data_of(const op* o) {
    auto base = reinterpret_cast<std::uint64_t>(o);
    return o->phase == 1 ? (base | kPollBit) : base;
  }

  io_uring_sqe* get_sqe() {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    while (!sqe) {
      io_uring_submit(&ring_);
      sqe = io_uring_get_sqe(&ring_);
    }
    return sqe;
  }

  void queue_op(op* o) {
    o->phase = 0;
    io_uring_sqe* sqe = get_sqe();
    unsigned len = static_cast<unsigned>(std::min(o->len, kMaxLen));
    switch (o->kind) {
      case op_kind::read:
        io_uring_prep_read(sqe, o->fd, o->buf, len, static_cast<__u64>(o->offset));
        break;
      case op_kind::write:
        io_uring_prep_write(sqe, o->fd, o->buf, len, static_cast<__u64>(o->offset));
        break;
      case op_kind::recv:
        io_uring_prep_recv(sqe, o->fd, o->buf, len, 0);
        break;
      case op_kind::send:
        io_uring_prep_send(sqe, o->fd, o->buf, len, MSG_NOSIGNAL);
        break;
      case op_kind::accept:
        io_uring_prep_accept(sqe, o->fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        break;
      case op_kind::connect:
        io_uring_prep_connect(sqe, o->fd, reinterpret_cast<sockaddr*>(&o->addr), o->addrlen);
        break;
      case op_kind::poll_read:
        io_uring_prep_poll_add(sqe, o->fd, POLLIN);
        break;
      case op_kind::poll_write:
        io_uring_prep_poll_add(sqe, o->fd, POLLOUT);
        break;
      case op_kind::fsync:
        io_uring_prep_fsync(sqe, o->fd, 0);
        break;
      case op_kind::openat:
        io_uring_prep_openat(sqe, AT_FDCWD, o->path, o->open_flags | O_CLOEXEC, o->open_mode);
        break;
    }
    io_uring_sqe_set_data64(sqe, user_data_of(o));
  }

  // A non-blocking fd that was not ready (kernels that do not arm a poll themselves): wait for
  // readiness with a separate poll, then queue the op again.
  void queue_readiness_poll(op* o) {
    o->phase = 1;
    io_uring_sqe* sqe = get_sqe();
    io_uring_prep_poll_add(sqe, o->fd, waits_readable(o->kind) ? POLLIN : POLLOUT);
    io_uring_sqe_set_data64(sqe, user_data_of(o));
  }

  void arm_wake() {
    io_uring_sqe* sqe = get_sqe();
    io_uring_prep_read(sqe, wakefd_, &wake_buf_, sizeof wake_buf_, 0);
    io_uring_sqe_set_data64(sqe, kWakeTag);
  }

  void reap() {
    // Collect first, then call back: a callback may submit new SQEs (not touch the CQ ring).
    io_uring_cqe* cqe;
    unsigned head;
    unsigned count = 0;
    op* completed[kEntries * 2];
    unsigned n_completed = 0;
    bool rearm = false;
    io_uring_for_each_cqe(&ring_, head, cqe) {
      if (n_completed == sizeof completed / sizeof completed[0]) break;  // rest: next reap
      ++count;
      std::uint64_t tag = io_uring_cqe_get_data64(cqe);
      if (tag == kWakeTag) {
        rearm = true;
        continue;
      }
      if (tag == kIgnoreTag) continue;
      auto* o = reinterpret_cast<op*>(tag & ~kPollBit);
      long res = cqe->res;
      if (tag & kPollBit) {
        // The readiness poll ended: retry the op unless it was cancelled meanwhile.
        if (res >= 0 && !o->cancel_requested) {
          queue_op(o);
          continue;
        }
        res = res >= 0 ? -ECANCELED : res;
      } else if (res == -EAGAIN && o->kind != op_kind::fsync && o->kind != op_kind::openat) {
        if (!o->cancel_requested) {
          queue_readiness_poll(o);
          continue;
        }
        res = -ECANCELED;
      }
      o->result = res;
      completed[n_completed++] = o;
    }
    io_uring_cq_advance(&ring_, count);
    if (rearm) arm_wake();
    for (unsigned i = 0; i < n_completed; ++i) {
      op* o = completed[i];
      o->in_flight = false;
      o->cancel_requested = false;
      o->phase = 0;
      --in_flight_;
      o->on_complete(o);
    }
  }

  io_uring ring_{};
  int wakefd_ = -1;
  std::uint64_t wake_buf_ = 0;
  std::size_t in_flight_ = 0;
};

}  // namespace

std::unique_ptr<backend> make_uring_backend() { return std::make_unique<uring_backend>(); }

}  // namespace hf::rt::io
