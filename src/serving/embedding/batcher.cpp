#include "serving/embedding/batcher.hpp"

#include "engine/errors.hpp"
#include "runtime/cancel_scope.hpp"
#include "runtime/errors.hpp"
#include "runtime/sleep.hpp"
#include "runtime/threads/to_thread.hpp"
#include "serving/errors.hpp"

namespace hf::serving {

encoder_batcher::encoder_batcher(std::shared_ptr<const loaded_model> model,
                                 batcher_options options, rt::capacity_limiter* compute_limiter)
    : model_(std::move(model)),
      options_(options),
      compute_limiter_(compute_limiter),
      wake_(std::make_unique<rt::event>()) {}

encoder_batcher::~encoder_batcher() {
  fail_all(std::make_exception_ptr(
      serving_error(error_kind::unavailable, "model '" + model_->id + "' was unloaded")));
}

rt::task<std::vector<engine::embedding_output>> encoder_batcher::embed(
    std::vector<encoder_job_input> inputs, engine::embed_options options,
    rt::time_point deadline) {
  auto j = std::make_shared<job>();
  j->options = options;
  j->inputs = std::move(inputs);
  j->deadline = deadline;
  co_await submit_and_wait(j);
  co_return std::move(j->embeddings);
}

rt::task<std::vector<engine::classification_output>> encoder_batcher::classify(
    std::vector<encoder_job_input> inputs, rt::time_point deadline) {
  auto j = std::make_shared<job>();
  j->classify = true;
  j->inputs = std::move(inputs);
  j->deadline = deadline;
  co_await submit_and_wait(j);
  co_return std::move(j->classes);
}

rt::task<void> encoder_batcher::submit_and_wait(std::shared_ptr<job> j) {
  if (!model_->encoder) {
    throw serving_error(error_kind::invalid_request,
                        "model '" + model_->id + "' does not produce embeddings", "model");
  }
  if (j->inputs.empty()) {
    throw serving_error(error_kind::invalid_request, "input must not be empty", "input");
  }
  if (queue_.size() >= options_.max_queue) {
    throw serving_error(error_kind::overloaded,
                        "model '" + model_->id + "' has too many requests waiting; try again later");
  }
  queue_.push_back(j);
  wake_->set();
  try {
    co_await j->done.wait();
  } catch (...) {
    j->abandoned = true;  // cancelled while queued or running: the batcher skips or drops it
    throw;
  }
  if (j->error) std::rethrow_exception(j->error);
}

bool encoder_batcher::compatible(const job& a, const job& b) {
  return a.classify == b.classify && a.options.mode == b.options.mode &&
         a.options.normalize == b.options.normalize &&
         a.options.hidden_states == b.options.hidden_states;
}

void encoder_batcher::expire(rt::time_point now) {
  for (auto it = queue_.begin(); it != queue_.end();) {
    job& j = **it;
    if (j.abandoned) {
      it = queue_.erase(it);
    } else if (j.deadline <= now) {
      j.error = std::make_exception_ptr(serving_error(
          error_kind::timeout, "request timed out waiting for model '" + model_->id + "'"));
      j.done.set();
      it = queue_.erase(it);
    } else {
      ++it;
    }
  }
}

rt::task<void> encoder_batcher::run_batch(std::vector<std::shared_ptr<job>> batch) {
  std::vector<engine::encoder_input> inputs;
  for (auto& j : batch) {
    for (auto& in : j->inputs) inputs.push_back({in.ids, in.type_ids});
  }
  const engine::encoder_model* enc = model_->encoder;
  const bool classify = batch.front()->classify;
  const engine::embed_options opts = batch.front()->options;
  std::vector<engine::embedding_output> embeddings;
  std::vector<engine::classification_output> classes;
  std::exception_ptr error;
  std::string engine_failure;  // an engine fault (not bad input): the breaker counts it
  co_await rt::to_thread::run_sync(
      [&] {
        try {
          if (classify) {
            classes = enc->classify(inputs);
          } else {
            embeddings = enc->embed(inputs, opts);
          }
        } catch (const engine::input_error& e) {
          error = std::make_exception_ptr(serving_error(error_kind::invalid_request, e.what(), "input"));
        } catch (const engine::engine_error& e) {
          error = std::make_exception_ptr(serving_error(error_kind::internal, e.what()));
          engine_failure = e.what();
        }
      },
      {.limiter = compute_limiter_});
  ++batches_;
  if (options_.on_batch && (!error || !engine_failure.empty())) options_.on_batch(engine_failure);
  std::size_t k = 0;
  for (auto& j : batch) {
    if (error) {
      j->error = error;
    } else {
      for (std::size_t i = 0; i < j->inputs.size(); ++i, ++k) {
        if (classify) {
          j->classes.push_back(std::move(classes[k]));
        } else {
          j->embeddings.push_back(std::move(embeddings[k]));
        }
      }
    }
    j->done.set();
  }
}

std::size_t encoder_batcher::waiting_inputs() const {
  std::size_t n = 0;
  for (const auto& j : queue_) n += j->inputs.size();
  return n;
}

void encoder_batcher::fail_all(const std::exception_ptr& error) {
  for (auto& j : queue_) {
    j->error = error;
    j->done.set();
  }
  queue_.clear();
}

rt::task<void> encoder_batcher::run() {
  try {
    for (;;) {
      expire(rt::current_time());
      if (queue_.empty()) {
        wake_ = std::make_unique<rt::event>();
        rt::event* wake = wake_.get();
        co_await wake->wait();
        continue;
      }
      // Dynamic batching (Triton's max_queue_delay): until the batch is full or max_wait has
      // passed since the batcher found work, later requests may join it.
      const rt::time_point until = rt::current_time() + options_.max_wait;
      while (waiting_inputs() < options_.max_batch_inputs && rt::current_time() < until) {
        wake_ = std::make_unique<rt::event>();
        rt::event* wake = wake_.get();
        co_await rt::move_on_at(until, [wake]() -> rt::task<void> { co_await wake->wait(); });
        expire(rt::current_time());
      }
      if (queue_.empty()) continue;
      std::vector<std::shared_ptr<job>> batch;
      std::size_t count = 0;
      auto first = queue_.front();
      for (auto it = queue_.begin(); it != queue_.end();) {
        job& j = **it;
        bool fits = count == 0 || count + j.inputs.size() <= options_.max_batch_inputs;
        if (compatible(j, *first) && fits) {
          count += j.inputs.size();
          batch.push_back(*it);
          it = queue_.erase(it);
        } else {
          ++it;
        }
        if (count >= options_.max_batch_inputs) break;
      }
      co_await run_batch(std::move(batch));
    }
  } catch (...) {
    fail_all(std::make_exception_ptr(serving_error(
        error_kind::unavailable, "model '" + model_->id + "' is shutting down or was unloaded")));
    throw;
  }
}

}  // namespace hf::serving
