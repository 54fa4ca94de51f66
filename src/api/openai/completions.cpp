// POST /v1/completions.
#include "api/openai/api_error.hpp"
#include "api/openai/generation_flow.hpp"
#include "api/openai/handlers.hpp"
#include "api/openai/json_fields.hpp"
#include "api/openai/response_json.hpp"
#include "runtime/sleep.hpp"

namespace hf::api {
namespace {

std::vector<std::vector<int32_t>> tokenize_prompts(const engine::tokenizer& tok,
                                                   const std::vector<prompt_input>& prompts,
                                                   std::vector<std::string>& texts) {
  std::vector<std::vector<int32_t>> out;
  for (const auto& p : prompts) {
    if (const auto* s = std::get_if<std::string>(&p)) {
      out.push_back(tok.encode(*s, /*add_special_tokens=*/true));
      texts.push_back(*s);
    } else {
      const auto& ids = std::get<std::vector<int32_t>>(p);
      out.push_back(ids);
      texts.push_back(tok.decode(ids, /*skip_special_tokens=*/false));
    }
  }
  return out;
}

}  // namespace

rt::task<void> send_stream_error(responder& out, const std::exception_ptr& e) {
  api_error err = error_from_exception(e);
  nlohmann::json body = {{"error",
                          {{"message", err.what()},
                           {"type", err.type()},
                           {"param", err.param() ? nlohmann::json(*err.param()) : nlohmann::json()},
                           {"code", err.code() ? nlohmann::json(*err.code()) : nlohmann::json()}}}};
  co_await out.event(body.dump());
}

rt::task<void> end_completion_stream(responder& out, std::string usage_chunk) {
  if (!usage_chunk.empty()) co_await out.event(usage_chunk);
  co_await out.event("[DONE]");
  co_await out.end_events();
}

rt::task<void> handle_completions(api_context& ctx, std::string_view body, responder& out) {
  completion_request req = parse_completion_request(parse_json_object(body));
  serving::model_lease lease = co_await ctx.cache->acquire(req.model);
  if (!lease.generator()) {
    throw api_error::bad_request("the model '" + req.model + "' does not support completions",
                                 "model");
  }
  const auto& tok = lease.model().tokenizer;
  std::vector<std::string> prompt_texts;
  auto prompts = tokenize_prompts(tok, req.prompts, prompt_texts);
  generation_flow flow(*lease.generator(), prompts, req.options,
                       rt::current_time() + ctx.request_timeout);
  const response_frame frame{make_response_id("cmpl"), "text_completion", unix_now(), req.model};
  const std::size_t n = req.options.n;
  const bool want_lp = req.options.sampling.logprobs.has_value();

  if (!req.options.stream) {
    auto choices = co_await flow.collect();
    nlohmann::json arr = nlohmann::json::array();
    std::size_t completion_tokens = 0;
    for (std::size_t i = 0; i < choices.size(); ++i) {
      const auto& c = choices[i];
      std::string prefix = req.echo ? prompt_texts[i / n] : std::string();
      arr.push_back({{"index", i},
                     {"text", prefix + c.text},
                     {"logprobs", want_lp ? completion_logprobs_json(tok, c.logprobs, prefix.size())
                                          : nlohmann::json()},
                     {"finish_reason", c.finish_reason}});
      completion_tokens += c.completion_tokens;
    }
    std::string resp =
        frame.body(std::move(arr), usage_json(flow.prompt_tokens(), completion_tokens)).dump();
    co_await out.json(200, resp);
    co_return;
  }

  co_await out.start_events();
  auto chunk = [&](std::size_t index, std::string text, nlohmann::json logprobs,
                   nlohmann::json finish) {
    return frame.choice_chunk(index, "text", std::move(text), std::move(logprobs),
                              std::move(finish));
  };
  std::size_t completion_tokens = 0;
  std::vector<std::size_t> offsets(flow.choices(), 0);
  bool failed = false;
  if (req.echo) {
    for (std::size_t i = 0; i < flow.choices(); ++i) {
      offsets[i] = prompt_texts[i / n].size();
      co_await out.event(chunk(i, prompt_texts[i / n], nullptr, nullptr).dump());
    }
  }
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
    if (want_lp && ev.logprob) {
      lp = completion_logprobs_json(tok, {*ev.logprob}, offsets[ce.index]);
    }
    offsets[ce.index] += ev.text.size();
    if (ev.type == kind::token) {
      if (!ev.text.empty() || want_lp) co_await out.event(chunk(ce.index, ev.text, lp, nullptr).dump());
    } else {
      completion_tokens += ev.completion_tokens;
      co_await out.event(chunk(ce.index, ev.text, nullptr, ev.finish_reason).dump());
    }
  });
  std::string usage;
  if (!failed && req.options.include_usage) {
    usage = frame.usage_chunk(flow.prompt_tokens(), completion_tokens).dump();
  }
  co_await end_completion_stream(out, std::move(usage));
}

}  // namespace hf::api
