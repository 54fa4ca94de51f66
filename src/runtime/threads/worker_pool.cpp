#include "runtime/threads/worker_pool.hpp"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime/io/backend.hpp"
#include "runtime/io/spin.hpp"

namespace hf::rt::detail {
namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(10);
// Beyond this many threads, calls wait in a backlog (limiters normally bound it long before).
constexpr std::size_t kMaxWorkers = 512;
// How long a worker that just finished a call watches for the next one before sleeping.
constexpr auto kSpin = std::chrono::microseconds(20);

thread_local thread_call* t_current_call = nullptr;

}  // namespace

thread_call* current_thread_call() noexcept { return t_current_call; }
void set_current_thread_call(thread_call* c) noexcept { t_current_call = c; }

bool post_to_run(loop::shared_token& token, std::function<void()> fn) {
  std::lock_guard lock(token.mutex);
  if (token.finished) return false;
  token.posts.push_back(std::move(fn));
  token.has_posts.store(true, std::memory_order_release);
  if (token.backend) token.backend->wake();
  return true;
}

struct worker {
  std::thread thread;
  std::condition_variable cv;
  // Written under shared::mutex; read without it while the worker spins for its next call.
  std::atomic<thread_call*> job{nullptr};
  bool sleeping = false;  // waits on cv (guarded by shared::mutex): dispatch must notify
  bool exited = false;    // left on idle timeout; its thread still needs a join
};

struct worker_pool::shared {
  std::mutex mutex;
  std::vector<std::unique_ptr<worker>> workers;
  std::vector<worker*> idle;           // LIFO: the most recently idle worker runs the next call
  std::deque<thread_call*> backlog;    // calls waiting for a worker (pool at kMaxWorkers)
  std::vector<thread_call*> completed; // finished, not yet seen by the loop
  bool drain_posted = false;
  bool stopped = false;                // the run has ended
  std::shared_ptr<loop::shared_token> token;
};

namespace {

void drain_completed(worker_pool::shared* s) {
  std::vector<thread_call*> done;
  {
    std::lock_guard lock(s->mutex);
    done.swap(s->completed);
    s->drain_posted = false;
  }
  for (thread_call* c : done) complete_call(c);
}

// Right after a call, an idle worker watches its slot for a short while before sleeping: the next
// call of a task that runs many short calls in a row then starts without a futex wake-up.
bool spin_for_job(const worker* w) {
  return io::spin_wait([w] { return w->job.load(std::memory_order_acquire) != nullptr; }, kSpin);
}

void worker_main(std::shared_ptr<worker_pool::shared> s, worker* w) {
  pthread_setname_np(pthread_self(), "hf-worker");
  std::unique_lock lock(s->mutex);
  for (;;) {
    if (!w->job.load(std::memory_order_relaxed)) {
      if (s->stopped) return;
      w->sleeping = true;
      bool woken = w->cv.wait_for(lock, kIdleTimeout, [&] {
        return w->job.load(std::memory_order_relaxed) || s->stopped;
      });
      w->sleeping = false;
      if (!woken) {
        s->idle.erase(std::find(s->idle.begin(), s->idle.end(), w));
        w->exited = true;
        return;
      }
      continue;
    }
    thread_call* c = w->job.exchange(nullptr, std::memory_order_acquire);
    lock.unlock();
    set_current_thread_call(c);
    c->invoke();
    set_current_thread_call(nullptr);
    lock.lock();
    if (s->stopped) {
      // Abandoned, and its run has ended: nobody is left to tell.
      lock.unlock();
      delete c;
      return;
    }
    s->completed.push_back(c);
    bool must_post = !s->drain_posted;
    s->drain_posted = true;
    bool idle = s->backlog.empty();
    if (idle) {
      s->idle.push_back(w);
    } else {
      w->job.store(s->backlog.front(), std::memory_order_relaxed);
      s->backlog.pop_front();
    }
    lock.unlock();
    if (must_post) post_to_run(*s->token, [raw = s.get()] { drain_completed(raw); });
    if (idle) spin_for_job(w);
    lock.lock();
  }
}

void join_exited(std::vector<std::unique_ptr<worker>>& workers, std::unique_lock<std::mutex>& lock) {
  std::vector<std::unique_ptr<worker>> gone;
  for (auto& w : workers) {
    if (w->exited) gone.push_back(std::move(w));
  }
  if (gone.empty()) return;
  std::erase(workers, nullptr);
  lock.unlock();
  for (auto& w : gone) w->thread.join();
  lock.lock();
}

}  // namespace

worker_pool& worker_pool::of(loop& lp) {
  auto& slot = lp.thread_pool_slot();
  if (!slot) slot = std::make_shared<worker_pool>(lp);
  return *static_cast<worker_pool*>(slot.get());
}

worker_pool::worker_pool(loop& lp) : s_(std::make_shared<shared>()) { s_->token = lp.token(); }

worker_pool::~worker_pool() {
  std::vector<std::unique_ptr<worker>> to_join;
  std::vector<thread_call*> orphans;
  {
    std::lock_guard lock(s_->mutex);
    s_->stopped = true;
    orphans.swap(s_->completed);
    orphans.insert(orphans.end(), s_->backlog.begin(), s_->backlog.end());
    s_->backlog.clear();
    for (auto& w : s_->workers) {
      bool idle = std::find(s_->idle.begin(), s_->idle.end(), w.get()) != s_->idle.end();
      if (idle || w->exited) {
        w->cv.notify_one();
        to_join.push_back(std::move(w));
      } else {
        // Still running an abandoned call: it deletes the call and exits when the function ends.
        w->thread.detach();
      }
    }
    std::erase(s_->workers, nullptr);
    s_->idle.clear();
  }
  for (auto& w : to_join) w->thread.join();
  // Every task has ended, so no caller waits on these any more.
  for (thread_call* c : orphans) delete c;
}

void worker_pool::dispatch(thread_call* c) {
  std::unique_lock lock(s_->mutex);
  if (!s_->idle.empty()) {
    worker* w = s_->idle.back();
    s_->idle.pop_back();
    w->job.store(c, std::memory_order_release);
    bool sleeping = w->sleeping;
    lock.unlock();
    if (sleeping) w->cv.notify_one();
    return;
  }
  join_exited(s_->workers, lock);
  if (s_->workers.size() >= kMaxWorkers) {
    s_->backlog.push_back(c);
    return;
  }
  auto w = std::make_unique<worker>();
  w->job.store(c, std::memory_order_relaxed);
  worker* raw = w.get();
  try {
    raw->thread = std::thread(worker_main, s_, raw);
  } catch (const std::system_error&) {
    if (s_->workers.empty()) throw;
    s_->backlog.push_back(c);  // some worker will take it when it finishes
    return;
  }
  s_->workers.push_back(std::move(w));
}

}  // namespace hf::rt::detail
