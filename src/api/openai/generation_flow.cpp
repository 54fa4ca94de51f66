#include "api/openai/generation_flow.hpp"

#include "runtime/sleep.hpp"
#include "runtime/task_group.hpp"

namespace hf::api {

generation_flow::generation_flow(serving::generation_scheduler& scheduler,
                                 const std::vector<std::vector<int32_t>>& prompts,
                                 const generation_options& opts, const call_options& call) {
  for (const auto& prompt : prompts) {
    prompt_tokens_ += prompt.size();
    for (std::size_t j = 0; j < opts.n; ++j) {
      serving::generation_request r;
      r.prompt = prompt;
      r.params = opts.sampling;
      if (r.params.seed && j > 0) r.params.seed = *r.params.seed + j;
      r.deadline = call.deadline;
      r.priority = opts.priority.value_or(call.priority.value_or(0));
      streams_.push_back(scheduler.submit(std::move(r)));
    }
  }
}

void generation_flow::note(const serving::generation_event& ev) {
  if (ev.queue_wait && (!queue_wait_ || *ev.queue_wait > *queue_wait_)) queue_wait_ = ev.queue_wait;
  if (ev.type != serving::generation_event::kind::token) return;
  ++generated_;
  if (!first_token_) first_token_ = rt::current_time();
}

rt::task<std::vector<choice_output>> generation_flow::collect() {
  std::vector<choice_output> out(streams_.size());
  for (std::size_t i = 0; i < streams_.size(); ++i) {
    choice_output& c = out[i];
    while (auto ev = co_await streams_[i].receive_or_end()) {
      using kind = serving::generation_event::kind;
      note(*ev);
      if (ev->type == kind::failed) std::rethrow_exception(ev->error);
      c.text += ev->text;
      if (ev->type == kind::token) {
        c.tokens.push_back(ev->token);
        if (ev->logprob) c.logprobs.push_back(*ev->logprob);
      } else {
        c.finish_reason = ev->finish_reason;
        c.completion_tokens = ev->completion_tokens;
      }
    }
  }
  co_return out;
}

rt::task<void> generation_flow::stream(
    const std::function<rt::task<void>(const choice_event&)>& on_event) {
  if (streams_.size() == 1) {  // the common case: no merging task needed
    // Events are named before being awaited on: GCC 12 mis-copies braced temporaries that live
    // across a co_await (short strings inside end up pointing at the old storage).
    while (auto ev = co_await streams_[0].receive_or_end()) {
      note(*ev);
      choice_event ce{0, std::move(*ev)};
      co_await on_event(ce);
    }
    co_return;
  }
  auto [tx, rx] = rt::create_memory_object_stream<choice_event>(streams_.size());
  co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
    for (std::size_t i = 0; i < streams_.size(); ++i) {
      tg.start_soon([i, &in = streams_[i], out = tx.clone()]() mutable -> rt::task<void> {
        while (auto ev = co_await in.receive_or_end()) {
          choice_event ce{i, std::move(*ev)};
          co_await out.send(std::move(ce));
        }
      });
    }
    tx.close();
    while (auto item = co_await rx.receive_or_end()) {
      note(item->event);
      co_await on_event(*item);
    }
  });
}

}  // namespace hf::api
