// Dynamic batching for an encoder model (embeddings and classification). Requests queue up; the
// batcher takes as many waiting inputs as fit in max_batch_inputs (waiting up to max_wait after the
// first one for more to arrive), runs one engine call on a compute worker, and hands each request
// its own results. A request that is cancelled while queued is skipped; one that waits past its
// deadline fails with a timeout; when the batcher stops, every waiting request fails.
//   encoder_batcher b(model, {.max_batch_inputs = 32}, &compute_limiter);
//   tg.start_soon(b.run());
//   auto vectors = co_await b.embed(std::move(inputs), {.mode = engine::pooling::mean}, deadline);
#pragma once
#include <deque>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/models/encoder.hpp"
#include "runtime/clock.hpp"
#include "runtime/sync/capacity_limiter.hpp"
#include "runtime/sync/event.hpp"
#include "runtime/task.hpp"
#include "serving/loaded_model.hpp"

namespace hf::serving {

struct batcher_options {
  std::size_t max_batch_inputs = 32;
  rt::duration max_wait = std::chrono::milliseconds(2);
  std::size_t max_queue = 1024;  // waiting requests before overloaded
  // After every batch the engine ran: "" when it worked, else its error (the circuit breaker).
  std::function<void(std::string_view error)> on_batch;
};

struct encoder_job_input {
  std::vector<int32_t> ids;
  std::vector<int32_t> type_ids;
};

class encoder_batcher {
 public:
  encoder_batcher(std::shared_ptr<const loaded_model> model, batcher_options options,
                  rt::capacity_limiter* compute_limiter);
  ~encoder_batcher();

  rt::task<std::vector<engine::embedding_output>> embed(std::vector<encoder_job_input> inputs,
                                                        engine::embed_options options,
                                                        rt::time_point deadline);
  rt::task<std::vector<engine::classification_output>> classify(
      std::vector<encoder_job_input> inputs, rt::time_point deadline);

  rt::task<void> run();
  std::size_t queued() const { return queue_.size(); }
  std::uint64_t batches() const { return batches_; }

 private:
  struct job {
    bool classify = false;
    engine::embed_options options;
    std::vector<encoder_job_input> inputs;
    rt::time_point deadline;
    std::vector<engine::embedding_output> embeddings;
    std::vector<engine::classification_output> classes;
    std::exception_ptr error;
    bool abandoned = false;
    rt::event done;
  };
  rt::task<void> submit_and_wait(std::shared_ptr<job> j);
  static bool compatible(const job& a, const job& b);
  void expire(rt::time_point now);
  rt::task<void> run_batch(std::vector<std::shared_ptr<job>> batch);
  std::size_t waiting_inputs() const;
  void fail_all(const std::exception_ptr& error);

  std::shared_ptr<const loaded_model> model_;
  batcher_options options_;
  rt::capacity_limiter* compute_limiter_;
  std::deque<std::shared_ptr<job>> queue_;
  std::unique_ptr<rt::event> wake_;
  std::uint64_t batches_ = 0;
};

}  // namespace hf::serving
