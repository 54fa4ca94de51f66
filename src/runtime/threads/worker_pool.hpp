// Internal: the worker threads of one run. Idle workers wait for the next call and are reused, the
// most recently idle first, so sequential calls run on the same thread (P-98); a worker idle for
// 10 s exits. The loop owns the pool and ends it with the run: idle workers are joined at once,
// abandoned workers that are still busy finish their function and then exit on their own.
#pragma once
#include <memory>

#include "runtime/threads/thread_call.hpp"

namespace hf::rt::detail {

class worker_pool {
 public:
  // The pool of lp's run, created on first use.
  static worker_pool& of(loop& lp);

  explicit worker_pool(loop& lp);
  ~worker_pool();
  worker_pool(const worker_pool&) = delete;
  worker_pool& operator=(const worker_pool&) = delete;

  // Loop thread: runs c->invoke() on a worker; when it has finished, complete_call(c) runs on the
  // loop thread. Throws std::system_error if no thread can be started and none is available.
  void dispatch(thread_call* c);

  struct shared;

 private:
  std::shared_ptr<shared> s_;
};

// Loop thread: the worker finished c (releases the token, wakes or forgets the caller).
void complete_call(thread_call* c);

}  // namespace hf::rt::detail
