// Renders chat messages into a prompt with the model's chat template (tokenizer_config.json's
// chat_template, run by the Jinja-subset interpreter), the way transformers' apply_chat_template
// does: variables messages, add_generation_prompt, bos_token, eos_token (and tools if given).
// Models without a template get a ChatML fallback, as several servers do.
#pragma once
#include <string>

#include "api/openai/requests.hpp"
#include "serving/loaded_model.hpp"

namespace hf::api {

std::string render_chat_prompt(const serving::loaded_model& model, const chat_request& req);

}  // namespace hf::api
