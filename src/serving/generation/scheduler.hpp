// Continuous batching for one causal LM. Requests wait in a bounded priority queue (each with a
// deadline: a request that has not started by then gets a timeout failure, never a hang); every
// step the scheduler admits queued requests up to max_batch, runs ONE forward over all active
// sequences (prompt chunks and single decode tokens mixed) on a compute worker thread, samples,
// and streams each sequence's events. A sequence whose receiver is gone (client disconnected) is
// dropped before the next step.
//   generation_scheduler s(model, {.max_batch = 8}, &compute_limiter);
//   tg.start_soon(s.run());                       // runs until cancelled
//   auto events = s.submit(std::move(request));   // throws serving_error (overloaded, invalid_request)
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "runtime/streams/memory_stream.hpp"
#include "runtime/sync/capacity_limiter.hpp"
#include "runtime/sync/event.hpp"
#include "runtime/task.hpp"
#include "serving/generation/sequence.hpp"
#include "serving/generation/types.hpp"
#include "serving/loaded_model.hpp"

namespace hf::serving {

struct scheduler_options {
  std::size_t max_batch = 8;        // sequences advanced per step
  std::size_t max_queue = 256;      // waiting requests before submit() reports overloaded
  std::size_t prefill_chunk = 256;  // prompt tokens per sequence per step (keeps decode latency low)
  // Tokens one step feeds in all (vLLM's max_num_batched_tokens): one per decoding sequence, then
  // prompt chunks in admission order up to the rest, so a long prompt is prefilled over several
  // steps interleaved with the running streams' decode. 0: no bound beyond prefill_chunk.
  std::size_t max_batch_tokens = 0;
  // KV budget (TGI's max_batch_total_tokens): the running sequences' prompt + max_tokens. A
  // request that does not fit waits in the queue until enough finish; one that could never fit
  // is refused at submit. 0: no budget.
  std::size_t max_total_tokens = 0;
  // After every forward step: "" when it worked, else the engine's error (the circuit breaker).
  std::function<void(std::string_view error)> on_step;
};

class generation_scheduler {
 public:
  // compute_limiter bounds concurrent engine work across all models (shared, may be null).
  generation_scheduler(std::shared_ptr<const loaded_model> model, scheduler_options options,
                       rt::capacity_limiter* compute_limiter);
  ~generation_scheduler();

  // Loop thread. Validates the request (prompt not empty and shorter than the context, sampling
  // parameters in range) and queues it. max_tokens is clamped to the context left.
  rt::receive_stream<generation_event> submit(generation_request request);

  // The scheduling loop. Runs until cancelled; then every queued and active request receives a
  // failed(unavailable) event, so no caller is left waiting.
  rt::task<void> run();

  scheduler_stats stats() const;

 private:
  struct queued {
    generation_request request;
    rt::send_stream<generation_event> out;
    std::uint64_t order = 0;
    rt::time_point enqueued;  // when submit() queued it: the start of its queue wait
  };
  static bool lower_priority(const queued& a, const queued& b);
  void admit(rt::time_point now);
  std::size_t reserved_tokens() const;
  void expire_queued(rt::time_point now);
  void expire_running(rt::time_point now);
  rt::time_point earliest_queued_deadline() const;
  rt::task<void> step();
  void fail_all(const std::exception_ptr& error);

  std::shared_ptr<const loaded_model> model_;
  scheduler_options options_;
  rt::capacity_limiter* compute_limiter_;
  std::vector<queued> queue_;  // a heap ordered by lower_priority
  std::vector<std::unique_ptr<sequence>> active_;
  std::unique_ptr<rt::event> wake_;
  std::uint64_t next_order_ = 0;
  scheduler_stats stats_;
};

}  // namespace hf::serving
