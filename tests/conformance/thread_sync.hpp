// Test helper for worker-thread tests: a tiny monitor that threads and the test share, so that a
// test waits for "the thread has started" or releases a blocked thread without any sleep.
#pragma once
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

namespace hf::rt::testing {

class monitor {
 public:
  // Blocks the calling (worker or test) thread until pred() holds; pred runs under the lock.
  template <class P>
  void wait(P pred) {
    std::unique_lock lock(m_);
    cv_.wait(lock, pred);
  }
  template <class F>
  void update(F fn) {
    {
      std::lock_guard lock(m_);
      fn();
    }
    cv_.notify_all();
  }
  void record(std::string s) {
    update([&] { log_.push_back(std::move(s)); });
  }
  // Blocks until s has been recorded.
  void wait_for_record(const std::string& s) {
    std::unique_lock lock(m_);
    cv_.wait(lock, [&] { return std::find(log_.begin(), log_.end(), s) != log_.end(); });
  }
  std::vector<std::string> log() {
    std::lock_guard lock(m_);
    return log_;
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  std::vector<std::string> log_;
};

}  // namespace hf::rt::testing
