#include "api/openai/chat_prompt.hpp"

#include "api/openai/api_error.hpp"
#include "template/template.hpp"

namespace hf::api {
namespace {
const tmpl::template_& chatml_fallback() {
  static const tmpl::template_ t = tmpl::template_::parse(
      "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
      "{{ message['content'] }}<|im_end|>\n{% endfor %}"
      "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}",
      {.trim_blocks = true, .lstrip_blocks = true});
  return t;
}
}  // namespace

std::string render_chat_prompt(const serving::loaded_model& model, const chat_request& req) {
  if (!model.chat_template_error.empty()) {
    throw api_error::bad_request("the chat template of model '" + model.id +
                                 "' cannot be parsed: " + model.chat_template_error);
  }
  nlohmann::json messages = nlohmann::json::array();
  for (const auto& m : req.messages) {
    nlohmann::json j = m.extra;
    j["role"] = m.role;
    j["content"] = m.content;
    messages.push_back(std::move(j));
  }
  nlohmann::json context = {{"messages", std::move(messages)},
                            {"add_generation_prompt", req.add_generation_prompt},
                            {"bos_token", model.tokenizer.bos_token()},
                            {"eos_token", model.tokenizer.eos_token()}};
  if (!req.tools.is_null()) context["tools"] = req.tools;
  const tmpl::template_& t = model.chat_template ? *model.chat_template : chatml_fallback();
  return t.render(context);
}

}  // namespace hf::api
