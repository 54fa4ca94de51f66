// Fuzzes the chat-template engine: the input is a template source (parsed with HF's
// trim_blocks/lstrip_blocks), rendered against a chat context like the server's (messages with
// roles, tools, add_generation_prompt, special tokens). Bad templates must fail with
// template_error (template_raised included); anything else escaping is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "template/template.hpp"

namespace {

nlohmann::ordered_json chat_context() {
  using nlohmann::ordered_json;
  ordered_json messages = ordered_json::array();
  messages.push_back({{"role", "system"}, {"content", "You are terse."}});
  messages.push_back({{"role", "user"}, {"content", "Hi <b>there</b> \u00e9\n"}});
  messages.push_back(
      {{"role", "assistant"},
       {"content", ""},
       {"tool_calls",
        ordered_json::array(
            {{{"type", "function"},
              {"function", {{"name", "get_time"}, {"arguments", {{"tz", "UTC"}}}}}}})}});
  messages.push_back({{"role", "tool"}, {"content", "12:00"}, {"tool_call_id", "c1"}});
  ordered_json tools = ordered_json::array(
      {{{"type", "function"},
        {"function", {{"name", "get_time"}, {"parameters", {{"type", "object"}}}}}}});
  return {{"messages", messages},
          {"tools", tools},
          {"add_generation_prompt", true},
          {"bos_token", "<s>"},
          {"eos_token", "</s>"},
          {"n", 3},
          {"xs", {1, 2.5, "x", nullptr, false}}};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const nlohmann::ordered_json context = chat_context();
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  try {
    const auto t = hf::tmpl::template_::parse(
        source,
        {.trim_blocks = true, .lstrip_blocks = true, .clock = [] { return std::time_t{0}; }});
    (void)t.render(context);
  } catch (const hf::tmpl::template_error&) {
  }
  return 0;
}
