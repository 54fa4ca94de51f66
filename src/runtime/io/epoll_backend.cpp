// Readiness backend: every fd is registered edge-triggered once; an op is first tried as a plain
// non-blocking syscall and, on EAGAIN, parked on its fd until epoll reports the matching edge.
// Regular files are always "ready", so their ops run synchronously here; the runtime's file layer
// sends them to worker threads instead (native_files() == false).
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "runtime/io/backend.hpp"
#include "runtime/io/syscalls.hpp"

namespace hf::rt::io {
namespace {

class epoll_backend final : public backend {
 public:
  epoll_backend() {
    epfd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epfd_ < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
    wakefd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (wakefd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = wakefd_;
    ::epoll_ctl(epfd_, EPOLL_CTL_ADD, wakefd_, &ev);
  }
  ~epoll_backend() override {
    ::close(wakefd_);
    ::close(epfd_);
  }

  std::string_view name() const override { return "epoll"; }
  bool native_files() const override { return false; }
  std::size_t pending() const override { return waiting_ + done_.size(); }

  bool try_now(op* o) override {
    long r = perform_now(o);
    if (r == -EAGAIN) {
      o->tried_now = true;
      return false;
    }
    o->result = r;
    return true;
  }

  void submit(op* o) override {
    // Right after a failed try_now() the fd is known not to be ready; an edge that comes later is
    // reported by epoll (registration of a ready fd reports it too), so no second syscall is needed.
    long r = o->tried_now ? -EAGAIN : perform_now(o);
    o->tried_now = false;
    o->in_flight = true;
    if (r != -EAGAIN) {
      o->result = r;
      done_.push_back(o);
      return;
    }
    fd_entry& e = entry(o->fd);
    (waits_readable(o->kind) ? e.readers : e.writers).push_back(o);
    ++waiting_;
  }

  bool try_cancel(op* o) override {
    if (std::find(done_.begin(), done_.end(), o) != done_.end()) return false;
    auto it = fds_.find(o->fd);
    if (it == fds_.end()) return false;
    auto& q = waits_readable(o->kind) ? it->second.readers : it->second.writers;
    auto pos = std::find(q.begin(), q.end(), o);
    if (pos == q.end()) return false;
    q.erase(pos);
    --waiting_;
    o->in_flight = false;
    return true;
  }

  void kick() noexcept override {
    std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wakefd_, &one, sizeof one);
  }

  void forget_fd(int fd) override {
    auto it = fds_.find(fd);
    if (it == fds_.end()) return;
    ::epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
    fds_.erase(it);
  }

  void poll(duration timeout) override {
    if (consume_wake() || !done_.empty()) timeout = duration::zero();
    // A non-blocking look with no op parked has nothing to find: skip the syscall (the loop calls
    // this every few dozen scheduling passes, and after every pass while ops are pending).
    if (timeout == duration::zero() && waiting_ == 0 && done_.empty()) return;
    bool slept = timeout != duration::zero() && begin_sleep();
    if (!slept) timeout = duration::zero();
    epoll_event events[128];
    timespec ts{};
    timespec* tsp = nullptr;
    if (timeout >= duration::zero()) {
      auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
      ts.tv_sec = ns / 1000000000;
      ts.tv_nsec = ns % 1000000000;
      tsp = &ts;
    }
    int n = ::epoll_pwait2(epfd_, events, 128, tsp, nullptr);
    if (slept) end_sleep();
    for (int i = 0; i < n; ++i) {
      if (events[i].data.fd == wakefd_) {
        std::uint64_t v;
        [[maybe_unused]] auto r = ::read(wakefd_, &v, sizeof v);
        continue;
      }
      auto it = fds_.find(events[i].data.fd);
      if (it == fds_.end()) continue;
      std::uint32_t ev = events[i].events;
      if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP)) retry(it->second.readers);
      if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP)) retry(it->second.writers);
    }
    deliver_done();
  }

 private:
  struct fd_entry {
    std::vector<op*> readers;
    std::vector<op*> writers;
  };

  fd_entry& entry(int fd) {
    auto [it, inserted] = fds_.try_emplace(fd);
    if (inserted) {
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
      ev.data.fd = fd;
      if (::epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) < 0 && errno != EEXIST) {
        // Not pollable (a regular file): such ops are performed synchronously by submit().
      }
    }
    return it->second;
  }

  // After an edge, retries every parked op in FIFO order until one would block again.
  void retry(std::vector<op*>& q) {
    while (!q.empty()) {
      op* o = q.front();
      long r = perform_now(o);
      if (r == -EAGAIN) return;
      q.erase(q.begin());
      --waiting_;
      o->result = r;
      done_.push_back(o);
    }
  }

  void deliver_done() {
    while (!done_.empty()) {
      std::vector<op*> batch;
      batch.swap(done_);
      for (op* o : batch) {
        o->in_flight = false;
        o->on_complete(o);
      }
    }
  }

  int epfd_ = -1;
  int wakefd_ = -1;
  std::unordered_map<int, fd_entry> fds_;
  std::vector<op*> done_;
  std::size_t waiting_ = 0;
};

}  // namespace

std::unique_ptr<backend> make_epoll_backend() { return std::make_unique<epoll_backend>(); }

}  // namespace hf::rt::io
