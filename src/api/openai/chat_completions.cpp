// POST /v1/chat/completions.
#include "api/openai/api_error.hpp"
#include "api/openai/chat_prompt.hpp"
#include "api/openai/generation_flow.hpp"
#include "api/openai/handlers.hpp"
#include "api/openai/json_fields.hpp"
#include "api/openai/response_json.hpp"
#include "runtime/sleep.hpp"

namespace hf::api {

rt::task<void> handle_chat_completions(api_context& ctx, std::string_view body, responder& out) {
  chat_request req = parse_chat_request(parse_json_object(body));
  serving::model_lease lease = co_await ctx.cache->acquire(req.model);
  if (!lease.generator()) {
    throw api_error::bad_request("the model '" + req.model + "' does not support chat", "model");
  }
  const auto& tok = lease.model().tokenizer;
  // The template writes the special tokens itself (transformers: add_special_tokens=False).
  std::vector<int32_t> prompt =
      tok.encode(render_chat_prompt(lease.model(), req), /*add_special_tokens=*/false);
  generation_flow flow(*lease.generator(), {prompt}, req.options,
                       rt::current_time() + ctx.request_timeout);
  response_frame frame{make_response_id("chatcmpl"), "chat.completion", unix_now(), req.model};

  if (!req.options.stream) {
    auto choices = co_await flow.collect();
    nlohmann::json arr = nlohmann::json::array();
    std::size_t completion_tokens = 0;
    for (std::size_t i = 0; i < choices.size(); ++i) {
      const auto& c = choices[i];
      arr.push_back({{"index", i},
                     {"message", {{"role", "assistant"}, {"content", c.text}}},
                     {"logprobs", req.logprobs ? chat_logprobs_json(tok, c.logprobs) : nlohmann::json()},
                     {"finish_reason", c.finish_reason}});
      completion_tokens += c.completion_tokens;
    }
    std::string resp =
        frame.body(std::move(arr), usage_json(flow.prompt_tokens(), completion_tokens)).dump();
    co_await out.json(200, resp);
    co_return;
  }

  co_await out.start_events();
  frame.object = "chat.completion.chunk";
  auto chunk = [&](std::size_t index, nlohmann::json delta, nlohmann::json logprobs,
                   nlohmann::json finish) {
    return frame.choice_chunk(index, "delta", std::move(delta), std::move(logprobs),
                              std::move(finish));
  };
  // GCC 12 miscompiles braced initializer lists inside co_await expressions: build JSON first.
  for (std::size_t i = 0; i < flow.choices(); ++i) {
    nlohmann::json role = {{"role", "assistant"}, {"content", ""}};
    std::string first = chunk(i, std::move(role), nullptr, nullptr).dump();
    co_await out.event(first);
  }
  std::size_t completion_tokens = 0;
  bool failed = false;
  co_await flow.stream([&](const choice_event& ce) -> rt::task<void> {
    using kind = serving::generation_event::kind;
    const auto& ev = ce.event;
    if (failed) co_return;
    if (ev.type == kind::failed) {
      failed = true;
      co_await send_stream_error(out, ev.error);
      co_return;
    }
    nlohmann::json lp = nullptr;
    if (req.logprobs && ev.logprob) lp = chat_logprobs_json(tok, {*ev.logprob});
    if (ev.type == kind::token) {
      if (!ev.text.empty() || !lp.is_null()) {
        nlohmann::json delta = {{"content", ev.text}};
        std::string data = chunk(ce.index, std::move(delta), lp, nullptr).dump();
        co_await out.event(data);
      }
    } else {
      completion_tokens += ev.completion_tokens;
      if (!ev.text.empty()) {
        nlohmann::json delta = {{"content", ev.text}};
        std::string data = chunk(ce.index, std::move(delta), nullptr, nullptr).dump();
        co_await out.event(data);
      }
      std::string last = chunk(ce.index, nlohmann::json::object(), nullptr, ev.finish_reason).dump();
      co_await out.event(last);
    }
  });
  std::string usage;
  if (!failed && req.options.include_usage) {
    usage = frame.usage_chunk(flow.prompt_tokens(), completion_tokens).dump();
  }
  co_await end_completion_stream(out, std::move(usage));
}

}  // namespace hf::api
