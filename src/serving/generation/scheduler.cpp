#include "serving/generation/scheduler.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>

#include "engine/errors.hpp"
#include "engine/kernels/compute_threads.hpp"
#include "engine/sampling/sampling_check.hpp"
#include "runtime/cancel_scope.hpp"
#include "runtime/sleep.hpp"
#include "runtime/threads/to_thread.hpp"
#include "serving/errors.hpp"
#include "serving/generation/event_delivery.hpp"

namespace hf::serving {

generation_scheduler::generation_scheduler(std::shared_ptr<const loaded_model> model,
                                           scheduler_options options,
                                           rt::capacity_limiter* compute_limiter)
    : model_(std::move(model)),
      options_(options),
      compute_limiter_(compute_limiter),
      wake_(std::make_unique<rt::event>()) {}

generation_scheduler::~generation_scheduler() {
  // Never leave a caller waiting, even if run() was never started.
  fail_all(std::make_exception_ptr(
      serving_error(error_kind::unavailable, "model '" + model_->id + "' was unloaded")));
}

bool generation_scheduler::lower_priority(const queued& a, const queued& b) {
  if (a.request.priority != b.request.priority) return a.request.priority < b.request.priority;
  return a.order > b.order;
}

rt::receive_stream<generation_event> generation_scheduler::submit(generation_request request) {
  if (!model_->lm) {
    throw serving_error(error_kind::invalid_request,
                        "model '" + model_->id + "' does not support text generation", "model");
  }
  if (request.prompt.empty()) {
    throw serving_error(error_kind::invalid_request, "the prompt must not be empty", "prompt");
  }
  std::size_t context = model_->max_context();
  if (request.prompt.size() >= context) {
    throw serving_error(error_kind::invalid_request,
                        "this model's maximum context length is " + std::to_string(context) +
                            " tokens, but the prompt has " + std::to_string(request.prompt.size()),
                        "prompt");
  }
  std::size_t vocab = model_->lm->vocab_size();
  for (int32_t id : request.prompt) {
    if (id < 0 || static_cast<std::size_t>(id) >= vocab) {
      throw serving_error(error_kind::invalid_request,
                          "token id " + std::to_string(id) + " is outside the vocabulary (size " +
                              std::to_string(vocab) + ")",
                          "prompt");
    }
  }
  if (auto bad = engine::check_sampling_params(request.params, engine::sampling_ranges{}, vocab)) {
    throw serving_error(error_kind::invalid_request,
                        "sampling parameter " + bad->param + " " + bad->message, bad->param);
  }
  request.params.max_tokens = std::min(request.params.max_tokens, context - request.prompt.size());
  const std::size_t needs = request.prompt.size() + request.params.max_tokens;
  if (options_.max_total_tokens && needs > options_.max_total_tokens) {
    throw serving_error(
        error_kind::invalid_request,
        "the prompt (" + std::to_string(request.prompt.size()) + " tokens) plus max_tokens (" +
            std::to_string(request.params.max_tokens) + ") is " + std::to_string(needs) +
            " tokens, more than the server's " + std::to_string(options_.max_total_tokens) +
            " (--max-total-tokens) for all running requests together",
        "max_tokens");
  }
  if (queue_.size() >= options_.max_queue) {
    throw serving_error(error_kind::overloaded,
                        "model '" + model_->id + "' has " + std::to_string(queue_.size()) +
                            " requests waiting; try again later");
  }
  auto [tx, rx] = rt::create_memory_object_stream<generation_event>(rt::unbounded);
  queue_.push_back({std::move(request), std::move(tx), next_order_++, rt::current_time()});
  std::push_heap(queue_.begin(), queue_.end(), lower_priority);
  wake_->set();
  return std::move(rx);
}

void generation_scheduler::expire_queued(rt::time_point now) {
  auto expired = [&](const queued& q) { return q.request.deadline <= now; };
  if (std::none_of(queue_.begin(), queue_.end(), expired)) return;
  std::vector<queued> keep;
  for (auto& q : queue_) {
    if (!expired(q)) {
      keep.push_back(std::move(q));
      continue;
    }
    send_failure(q.out,
                 std::make_exception_ptr(serving_error(
                     error_kind::timeout,
                     "request timed out waiting in the queue of model '" + model_->id + "'")),
                 now - q.enqueued);
  }
  stats_.timed_out += queue_.size() - keep.size();
  queue_ = std::move(keep);
  std::make_heap(queue_.begin(), queue_.end(), lower_priority);
}

void generation_scheduler::expire_running(rt::time_point now) {
  std::erase_if(active_, [&](const std::unique_ptr<sequence>& s) {
    if (s->deadline() > now) return false;
    s->fail(std::make_exception_ptr(serving_error(
        error_kind::timeout, "request timed out after " + std::to_string(s->generated_count()) +
                                 " generated tokens on model '" + model_->id + "'")));
    ++stats_.timed_out;
    return true;
  });
}

rt::time_point generation_scheduler::earliest_queued_deadline() const {
  rt::time_point d = rt::no_deadline;
  for (const auto& q : queue_) d = std::min(d, q.request.deadline);
  return d;
}

std::size_t generation_scheduler::reserved_tokens() const {
  std::size_t sum = 0;
  for (const auto& s : active_) sum += s->reserved_tokens();
  return sum;
}

void generation_scheduler::admit(rt::time_point now) {
  std::size_t reserved = options_.max_total_tokens ? reserved_tokens() : 0;
  while (active_.size() < options_.max_batch && !queue_.empty()) {
    // The best queued request waits while the KV budget is short; those behind it wait too, so
    // that smaller requests cannot keep overtaking it.
    const generation_request& next = queue_.front().request;
    const std::size_t needs = next.prompt.size() + next.params.max_tokens;
    if (options_.max_total_tokens && reserved + needs > options_.max_total_tokens) break;
    reserved += needs;
    std::pop_heap(queue_.begin(), queue_.end(), lower_priority);
    queued q = std::move(queue_.back());
    queue_.pop_back();
    active_.push_back(std::make_unique<sequence>(*model_, std::move(q.request), std::move(q.out),
                                                 now - q.enqueued));
  }
}

rt::task<void> generation_scheduler::step() {
  struct planned {
    sequence* seq;
    std::size_t fed;
    bool wants_logits;
  };
  std::vector<planned> plan;
  std::vector<engine::step_input> inputs;
  plan.reserve(active_.size());
  inputs.reserve(active_.size());
  // Every decoding sequence advances by one token; prompt chunks share what is left of the
  // step's token budget, oldest admission first (a sequence left without any waits a step).
  std::size_t budget = std::numeric_limits<std::size_t>::max();
  if (options_.max_batch_tokens) {
    const auto decoding = static_cast<std::size_t>(std::count_if(
        active_.begin(), active_.end(), [](const auto& s) { return !s->prefilling(); }));
    budget = options_.max_batch_tokens > decoding ? options_.max_batch_tokens - decoding : 0;
  }
  for (auto& s : active_) {
    bool wants = false;
    std::span<const int32_t> tokens;
    if (s->prefilling()) {
      const std::size_t chunk = std::min(options_.prefill_chunk, budget);
      if (chunk == 0) continue;
      tokens = s->next_input(chunk, wants);
      budget -= tokens.size();
    } else {
      tokens = s->next_input(1, wants);
    }
    plan.push_back({s.get(), tokens.size(), wants});
    inputs.push_back({s->cache(), tokens, wants ? s->logits() : std::span<float>()});
  }
  if (inputs.empty()) co_return;  // cannot happen: a step has a decode token or a prompt chunk
  const engine::causal_lm* lm = model_->lm;
  co_await rt::to_thread::run_sync(
      [&] {
        lm->forward(inputs);
        // Sampling each sequence (a pass over the vocabulary) uses every core too.
        engine::for_each_item(plan.size(), [&plan](std::size_t i) {
          plan[i].seq->after_forward(plan[i].fed, plan[i].wants_logits);
        });
      },
      {.limiter = compute_limiter_});
  ++stats_.steps;
  stats_.largest_batch = std::max(stats_.largest_batch, inputs.size());
  // Deliver on the loop thread; drop sequences that finished or whose receiver is gone.
  std::vector<std::unique_ptr<sequence>> still;
  still.reserve(active_.size());
  for (auto& s : active_) {
    std::size_t before = s->generated_count();
    bool more = s->deliver();
    stats_.generated_tokens += s->generated_count() - before;
    if (more) {
      still.push_back(std::move(s));
    } else {
      ++stats_.completed;
    }
  }
  active_ = std::move(still);
}

void generation_scheduler::fail_all(const std::exception_ptr& error) {
  for (auto& s : active_) s->fail(error);
  active_.clear();
  for (auto& q : queue_) send_failure(q.out, error);
  queue_.clear();
}

rt::task<void> generation_scheduler::run() {
  try {
    for (;;) {
      const rt::time_point now = rt::current_time();
      expire_queued(now);
      expire_running(now);
      admit(now);
      if (active_.empty()) {
        // Idle: wait for a submit, or for the earliest queued deadline.
        wake_ = std::make_unique<rt::event>();
        if (!queue_.empty()) continue;
        rt::event* wake = wake_.get();
        co_await rt::move_on_at(earliest_queued_deadline(),
                                [wake]() -> rt::task<void> { co_await wake->wait(); });
        continue;
      }
      try {
        co_await step();
        if (options_.on_step) options_.on_step("");
      } catch (const engine::engine_error& e) {
        // A failed step fails the sequences in it; the scheduler keeps serving.
        auto error = std::make_exception_ptr(serving_error(error_kind::internal, e.what()));
        for (auto& s : active_) s->fail(error);
        active_.clear();
        if (options_.on_step) options_.on_step(e.what());
      }
    }
  } catch (...) {
    fail_all(std::make_exception_ptr(serving_error(
        error_kind::unavailable, "model '" + model_->id + "' is shutting down or was unloaded")));
    throw;
  }
}

scheduler_stats generation_scheduler::stats() const {
  scheduler_stats s = stats_;
  s.queued = queue_.size();
  s.active = active_.size();
  s.reserved_tokens = reserved_tokens();
  std::map<int, std::size_t, std::greater<>> by_priority;
  for (const auto& q : queue_) {
    ++by_priority[q.request.priority];
    if (!s.oldest_queued || q.enqueued < *s.oldest_queued) s.oldest_queued = q.enqueued;
  }
  s.queued_by_priority.assign(by_priority.begin(), by_priority.end());
  return s;
}

}  // namespace hf::serving
