// What a generation request asks for and what it receives, token by token, from the scheduler.
//   generation_request r{.prompt = ids, .params = p};
//   auto events = scheduler.submit(std::move(r));
//   while (auto ev = co_await events.receive_or_end()) { if (ev->type == generation_event::kind::token) ... }
#pragma once
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/sampling/sampling_params.hpp"
#include "runtime/clock.hpp"

namespace hf::serving {

struct generation_request {
  std::vector<int32_t> prompt;
  engine::sampling_params params;
  int priority = 0;  // higher runs first; FIFO within a priority
  // Covers queueing and generation: a request still queued then fails with a timeout, and a
  // running one is stopped at the next step with a timeout failure (its tokens so far were sent).
  rt::time_point deadline = rt::no_deadline;
};

struct generation_event {
  enum class kind { token, finished, failed };
  kind type = kind::token;
  int32_t token = -1;          // token: the generated id
  std::string text;            // newly released text (may be empty: held back for UTF-8/stop strings)
  std::optional<engine::token_logprob> logprob;  // token: when params.logprobs was set
  std::string finish_reason;   // finished: "stop" or "length"
  std::size_t prompt_tokens = 0;
  std::size_t completion_tokens = 0;
  std::exception_ptr error;    // failed: a serving_error
  // The sequence's first event only (token, finished or failed): how long it waited in the
  // scheduler's queue before it joined the running batch, or until it timed out there. None on
  // the failure of a request still queued when its model was unloaded or the server stopped.
  std::optional<rt::duration> queue_wait;
};

struct scheduler_stats {
  std::size_t queued = 0;
  std::size_t active = 0;
  std::uint64_t completed = 0;
  std::uint64_t generated_tokens = 0;
  std::uint64_t steps = 0;
  std::size_t largest_batch = 0;  // most sequences advanced by one forward call so far
  std::uint64_t timed_out = 0;    // requests whose deadline passed (queued or running)
  std::size_t reserved_tokens = 0;  // KV positions the running sequences hold (prompt + max_tokens)
  // The queue now: (priority, requests waiting) from the highest priority down, and when the
  // longest-waiting request was queued (none when the queue is empty).
  std::vector<std::pair<int, std::size_t>> queued_by_priority;
  std::optional<rt::time_point> oldest_queued;
};

}  // namespace hf::serving
