#include "serving/generation/sequence.hpp"

#include <algorithm>
#include <utility>

#include "serving/generation/event_delivery.hpp"

namespace hf::serving {

sequence::sequence(const loaded_model& m, generation_request req,
                   rt::send_stream<generation_event> out, rt::duration queue_wait)
    : model_(m),
      req_(std::move(req)),
      out_(std::move(out)),
      cache_(m.lm->new_cache()),
      sampler_(req_.params, m.lm->vocab_size()),
      decoder_(m.tokenizer, /*skip_special_tokens=*/true),
      stops_(req_.params.stop),
      history_(req_.prompt),
      logits_(m.lm->vocab_size()),
      queue_wait_(queue_wait) {
  generated_.reserve(req_.params.max_tokens);
}

std::span<const int32_t> sequence::next_input(std::size_t max_chunk, bool& wants_logits) const {
  const auto& prompt = req_.prompt;
  if (prefilled_ < prompt.size()) {
    std::size_t n = std::min(max_chunk, prompt.size() - prefilled_);
    wants_logits = prefilled_ + n == prompt.size();
    return std::span<const int32_t>(prompt).subspan(prefilled_, n);
  }
  wants_logits = true;
  return std::span<const int32_t>(history_).last(1);
}

void sequence::after_forward(std::size_t fed, bool sampled_now) {
  if (prefilled_ < req_.prompt.size()) prefilled_ += fed;
  if (!sampled_now) return;
  bool want_lp = req_.params.logprobs.has_value();
  sampled_ = sampler_.sample(logits_, history_, generated_, want_lp ? &logprob_ : nullptr);
  has_sample_ = true;
}

bool sequence::send(generation_event ev) {
  ev.queue_wait = std::exchange(queue_wait_, std::nullopt);
  if (send_or_drop(out_, std::move(ev))) return true;
  over_ = true;  // the requester went away (client disconnected): stop generating
  return false;
}

bool sequence::deliver() {
  if (over_) return false;
  if (!has_sample_) return true;  // a prompt chunk that produced no token yet
  has_sample_ = false;
  int32_t id = sampled_;
  generated_.push_back(id);
  history_.push_back(id);

  const auto& p = req_.params;
  const auto& eos = model_.lm->generation_defaults().eos_ids;
  bool is_eos = !p.ignore_eos && std::find(eos.begin(), eos.end(), id) != eos.end();
  bool is_stop_id = std::find(p.stop_token_ids.begin(), p.stop_token_ids.end(), id) !=
                    p.stop_token_ids.end();
  if (is_eos || is_stop_id) {
    finish("stop");
    return false;
  }
  generation_event ev;
  ev.type = generation_event::kind::token;
  ev.token = id;
  ev.text = stops_.push(decoder_.push(id));
  if (p.logprobs) ev.logprob = logprob_;
  if (!send(std::move(ev))) return false;
  if (stops_.stopped()) {
    finish("stop");
    return false;
  }
  if (generated_.size() >= p.max_tokens || cache_->length() >= model_.max_context()) {
    finish("length");
    return false;
  }
  return true;
}

void sequence::finish(const std::string& reason) {
  generation_event ev;
  ev.type = generation_event::kind::finished;
  if (!stops_.stopped()) {
    ev.text = stops_.push(decoder_.flush());
    ev.text += stops_.flush();
  }
  ev.finish_reason = reason;
  ev.prompt_tokens = req_.prompt.size();
  ev.completion_tokens = generated_.size();
  send(std::move(ev));
  over_ = true;
  out_.close();
}

void sequence::fail(std::exception_ptr error) {
  if (over_) return;
  send_failure(out_, std::move(error), std::exchange(queue_wait_, std::nullopt));
  over_ = true;
  out_.close();
}

}  // namespace hf::serving
