// The handler writes one byte per signal to the self-pipe of the receiver registered for that
// signal. Slots are atomics and the handler announces itself in a counter, so close() can retire a
// pipe only after no handler can still be writing to it (no write to a closed or reused fd).
#include "runtime/signals/signal_receiver.hpp"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <string>
#include <system_error>

#include "runtime/checkpoint.hpp"
#include "runtime/errors.hpp"
#include "runtime/io/op_awaiter.hpp"

namespace hf::rt {
namespace detail {
namespace {

constexpr int kMaxSignal = 65;  // NSIG on Linux
// The pipe write end of each signal's receiver, stored as fd + 1 (0: none; zero-initialised).
std::atomic<int> g_write_fd[kMaxSignal];
std::atomic<int> g_in_handler{0};
std::mutex g_install_mutex;  // serialises open/close (not used by the handler)

void on_signal(int sig) {
  int saved = errno;
  g_in_handler.fetch_add(1, std::memory_order_seq_cst);
  int fd = sig > 0 && sig < kMaxSignal ? g_write_fd[sig].load(std::memory_order_seq_cst) - 1 : -1;
  if (fd >= 0) {
    auto byte = static_cast<unsigned char>(sig);
    [[maybe_unused]] ssize_t n = ::write(fd, &byte, 1);  // a full pipe drops it: fine for signals
  }
  g_in_handler.fetch_sub(1, std::memory_order_seq_cst);
  errno = saved;
}

}  // namespace

struct signal_state {
  struct installed {
    int sig;
    int previous_slot;  // g_write_fd value before this receiver
    struct sigaction previous_action;
  };
  int read_fd = -1;
  int write_fd = -1;
  std::vector<installed> signals;
  std::vector<int> pending;  // read from the pipe, not yet returned
  std::size_t next = 0;
  io::op_awaiter* receiver = nullptr;
  bool receiving = false;
  bool closed = false;

  void close() noexcept {
    if (closed) return;
    closed = true;
    {
      std::lock_guard lock(g_install_mutex);
      for (auto it = signals.rbegin(); it != signals.rend(); ++it) {
        ::sigaction(it->sig, &it->previous_action, nullptr);
        g_write_fd[it->sig].store(it->previous_slot, std::memory_order_seq_cst);
      }
    }
    // A handler that loaded our fd has announced itself before loading it: wait for it to leave.
    while (g_in_handler.load(std::memory_order_seq_cst) != 0) sched_yield();
    if (receiver) receiver->close_for_owner();
    if (loop* lp = loop::current()) lp->io().forget_fd(read_fd);
    ::close(read_fd);
    ::close(write_fd);
  }
  ~signal_state() { close(); }
};

}  // namespace detail

signal_receiver open_signal_receiver(std::initializer_list<int> signals) {
  return open_signal_receiver(std::vector<int>(signals));
}

signal_receiver open_signal_receiver(const std::vector<int>& signals) {
  for (int sig : signals) {
    if (sig <= 0 || sig >= detail::kMaxSignal || sig == SIGKILL || sig == SIGSTOP) {
      throw argument_error("open_signal_receiver: signal " + std::to_string(sig) +
                           " cannot be caught");
    }
  }
  auto s = std::make_unique<detail::signal_state>();
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0) {
    s->closed = true;
    throw std::system_error(errno, std::generic_category(), "open_signal_receiver: pipe2");
  }
  s->read_fd = fds[0];
  s->write_fd = fds[1];
  std::lock_guard lock(detail::g_install_mutex);
  for (int sig : signals) {
    bool seen = false;
    for (auto& i : s->signals) seen = seen || i.sig == sig;
    if (seen) continue;
    detail::signal_state::installed inst{sig, detail::g_write_fd[sig].load(), {}};
    struct sigaction sa{};
    sa.sa_handler = &detail::on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (::sigaction(sig, &sa, &inst.previous_action) < 0) {
      int err = errno;
      for (auto& i : s->signals) {
        ::sigaction(i.sig, &i.previous_action, nullptr);
        detail::g_write_fd[i.sig].store(i.previous_slot);
      }
      s->signals.clear();
      throw std::system_error(err, std::generic_category(),
                              "open_signal_receiver: sigaction(" + std::to_string(sig) + ")");
    }
    detail::g_write_fd[sig].store(s->write_fd + 1, std::memory_order_seq_cst);
    s->signals.push_back(inst);
  }
  return signal_receiver(std::move(s));
}

signal_receiver::signal_receiver(std::unique_ptr<detail::signal_state> s) noexcept
    : s_(std::move(s)) {}
signal_receiver::signal_receiver() = default;
signal_receiver::signal_receiver(signal_receiver&&) noexcept = default;
signal_receiver& signal_receiver::operator=(signal_receiver&&) noexcept = default;
signal_receiver::~signal_receiver() = default;

void signal_receiver::close() noexcept {
  if (s_) s_->close();
}
bool signal_receiver::is_open() const noexcept { return s_ && !s_->closed; }

task<int> signal_receiver::receive() {
  if (!s_ || s_->closed) throw closed_resource_error("signal_receiver::receive: closed");
  detail::signal_state& s = *s_;
  if (s.receiving) {
    throw busy_resource_error("signal_receiver::receive: another task is already receiving");
  }
  s.receiving = true;
  struct reset {
    detail::signal_state& s;
    ~reset() {
      s.receiving = false;
      s.receiver = nullptr;
    }
  } guard{s};
  while (s.next == s.pending.size()) {
    s.pending.clear();
    s.next = 0;
    unsigned char buf[64];
    io::op o;
    o.kind = io::op_kind::read;
    o.fd = s.read_fd;
    o.buf = buf;
    o.len = sizeof buf;
    io::op_awaiter aw(o);
    s.receiver = &aw;
    long r = co_await aw;
    s.receiver = nullptr;
    if (s.closed) throw closed_resource_error("signal_receiver::receive: closed while waiting");
    if (r < 0 && r != -EAGAIN && r != -EINTR) {
      throw std::system_error(static_cast<int>(-r), std::generic_category(),
                              "signal_receiver::receive");
    }
    for (long i = 0; i < r; ++i) s.pending.push_back(buf[i]);
    if (!s.pending.empty()) co_return s.pending[s.next++];
  }
  co_await checkpoint();  // K-1 when a signal was already waiting; nothing taken if it raises
  co_return s.pending[s.next++];
}

}  // namespace hf::rt
