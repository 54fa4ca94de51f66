// Chat templates of popular model families (templates/*.jinja) render a system message plus a
// two-turn conversation into each family's documented prompt format, and the templates that
// enforce role alternation raise through raise_exception.
#include <gtest/gtest.h>

#include "template/template.hpp"
#include "test_util.hpp"

namespace hf::tmpl {
namespace {

using nlohmann::ordered_json;

template_ load(const std::string& name, options opts = testing::hf_options()) {
  return template_::parse(testing::read_file(testing::template_data_dir() + "/templates/" + name), std::move(opts));
}

ordered_json conversation() {
  return ordered_json::array({
      {{"role", "system"}, {"content", "You are a bot."}},
      {{"role", "user"}, {"content", "Hi"}},
      {{"role", "assistant"}, {"content", "Hello!"}},
      {{"role", "user"}, {"content", "How are you?"}},
  });
}

ordered_json context(ordered_json extra = ordered_json::object()) {
  ordered_json ctx = {{"messages", conversation()}, {"add_generation_prompt", true}};
  for (auto& [k, v] : extra.items()) ctx[k] = v;
  return ctx;
}

std::string render_raising(const template_& t, const ordered_json& ctx) {
  try {
    t.render(ctx);
  } catch (const template_raised& e) {
    return e.message();
  }
  return "<no exception>";
}

TEST(model_templates, chatml_qwen2) {
  auto t = load("chatml_qwen2.jinja");
  EXPECT_EQ(t.render(context()),
            "<|im_start|>system\nYou are a bot.<|im_end|>\n"
            "<|im_start|>user\nHi<|im_end|>\n"
            "<|im_start|>assistant\nHello!<|im_end|>\n"
            "<|im_start|>user\nHow are you?<|im_end|>\n"
            "<|im_start|>assistant\n");
  // Without a system message Qwen2 injects its default one; without a generation prompt no
  // assistant header is added.
  ordered_json ctx = context();
  ctx["messages"].erase(0);
  ctx["add_generation_prompt"] = false;
  EXPECT_EQ(t.render(ctx),
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
            "<|im_start|>user\nHi<|im_end|>\n"
            "<|im_start|>assistant\nHello!<|im_end|>\n"
            "<|im_start|>user\nHow are you?<|im_end|>\n");
}

TEST(model_templates, llama3_instruct) {
  auto t = load("llama3_instruct.jinja");
  EXPECT_EQ(t.render(context({{"bos_token", "<|begin_of_text|>"}})),
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a bot.<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\nHow are you?<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\n");
}

TEST(model_templates, llama3_2_instruct_uses_strftime_now) {
  options opts = testing::hf_options();
  opts.clock = [] { return std::time_t{1721736000}; };  // 2024-07-23 12:00 UTC
  auto t = load("llama3_2_instruct.jinja", opts);
  EXPECT_EQ(t.render(context({{"bos_token", "<|begin_of_text|>"}})),
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
            "Cutting Knowledge Date: December 2023\nToday Date: 23 Jul 2024\n\nYou are a bot.<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\nHow are you?<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\n");
}

TEST(model_templates, mistral_instruct) {
  auto t = load("mistral_instruct.jinja");
  EXPECT_EQ(t.render(context({{"bos_token", "<s>"}, {"eos_token", "</s>"}})),
            "<s> [INST] You are a bot.\n\nHi [/INST] Hello!</s> [INST] How are you? [/INST]");
}

TEST(model_templates, mistral_raises_on_bad_alternation) {
  auto t = load("mistral_instruct.jinja");
  ordered_json ctx = {{"messages", {{{"role", "user"}, {"content", "a"}}, {{"role", "user"}, {"content", "b"}}}},
                      {"bos_token", "<s>"},
                      {"eos_token", "</s>"}};
  EXPECT_EQ(render_raising(t, ctx),
            "After the optional system message, conversation roles must alternate "
            "user/assistant/user/assistant/...");
  ctx["messages"] = {{{"role", "tool"}, {"content", "x"}}};
  EXPECT_THROW(t.render(ctx), template_raised);
}

TEST(model_templates, gemma3) {
  auto t = load("gemma3.jinja");
  EXPECT_EQ(t.render(context({{"bos_token", "<bos>"}, {"eos_token", "<eos>"}})),
            "<bos><start_of_turn>user\nYou are a bot.\n\nHi<end_of_turn>\n"
            "<start_of_turn>model\nHello!<end_of_turn>\n"
            "<start_of_turn>user\nHow are you?<end_of_turn>\n"
            "<start_of_turn>model\n");
  ordered_json parts = {{"messages",
                         {{{"role", "user"},
                           {"content", {{{"type", "image"}}, {{"type", "text"}, {"text", " Describe "}}}}}}},
                        {"add_generation_prompt", true},
                        {"bos_token", "<bos>"}};
  EXPECT_EQ(t.render(parts), "<bos><start_of_turn>user\n<start_of_image>Describe<end_of_turn>\n<start_of_turn>model\n");
  ordered_json bad = {{"messages", {{{"role", "assistant"}, {"content", "x"}}}}, {"bos_token", "<bos>"}};
  EXPECT_EQ(render_raising(t, bad), "Conversation roles must alternate user/assistant/user/assistant/...");
}

TEST(model_templates, phi3) {
  auto t = load("phi3.jinja");
  EXPECT_EQ(t.render(context({{"eos_token", "<|endoftext|>"}})),
            "<|system|>\nYou are a bot.<|end|>\n<|user|>\nHi<|end|>\n<|assistant|>\nHello!<|end|>\n"
            "<|user|>\nHow are you?<|end|>\n<|assistant|>\n");
}

TEST(model_templates, zephyr) {
  auto t = load("zephyr.jinja");
  EXPECT_EQ(t.render(context({{"eos_token", "</s>"}})),
            "<|system|>\nYou are a bot.</s>\n<|user|>\nHi</s>\n<|assistant|>\nHello!</s>\n"
            "<|user|>\nHow are you?</s>\n<|assistant|>\n");
}

ordered_json weather_tools() {
  return ordered_json::parse(R"([{"type": "function", "function": {"name": "get_weather",
    "description": "Get the weather", "parameters": {"type": "object",
    "properties": {"city": {"type": "string"}}, "required": ["city"]}}}])");
}

ordered_json tool_conversation() {
  return ordered_json::parse(R"([{"role": "user", "content": "Weather in Paris?"},
    {"role": "assistant", "content": "", "tool_calls": [{"type": "function",
      "function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]},
    {"role": "tool", "content": "22C"}])");
}

TEST(model_templates, qwen2_5_without_tools_is_chatml) {
  auto t = load("qwen2_5_tools.jinja");
  EXPECT_EQ(t.render(context()),
            "<|im_start|>system\nYou are a bot.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
            "<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nHow are you?<|im_end|>\n"
            "<|im_start|>assistant\n");
}

TEST(model_templates, qwen2_5_tool_call_round_trip) {
  auto t = load("qwen2_5_tools.jinja");
  ordered_json ctx = {{"messages", tool_conversation()}, {"tools", weather_tools()}, {"add_generation_prompt", true}};
  EXPECT_EQ(t.render(ctx),
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.\n\n"
            "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
            "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n"
            R"({"type": "function", "function": {"name": "get_weather", "description": "Get the weather", )"
            R"("parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}})"
            "\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
            "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": "
            "<args-json-object>}\n</tool_call><|im_end|>\n"
            "<|im_start|>user\nWeather in Paris?<|im_end|>\n"
            "<|im_start|>assistant\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n"
            "</tool_call><|im_end|>\n"
            "<|im_start|>user\n<tool_response>\n22C\n</tool_response><|im_end|>\n"
            "<|im_start|>assistant\n");
}

TEST(model_templates, llama3_2_tools_in_user_message) {
  options opts = testing::hf_options();
  opts.clock = [] { return std::time_t{1721736000}; };
  auto t = load("llama3_2_instruct.jinja", opts);
  ordered_json ctx = {{"messages", tool_conversation()},
                      {"tools", weather_tools()},
                      {"add_generation_prompt", true},
                      {"bos_token", "<|begin_of_text|>"}};
  EXPECT_EQ(t.render(ctx),
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nEnvironment: ipython\n"
            "Cutting Knowledge Date: December 2023\nToday Date: 23 Jul 2024\n\n<|eot_id|>"
            "<|start_header_id|>user<|end_header_id|>\n\nGiven the following functions, please respond with a "
            "JSON for a function call with its proper arguments that best answers the given prompt.\n\n"
            "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its "
            "value}.Do not use variables.\n\n"
            "{\n    \"type\": \"function\",\n    \"function\": {\n        \"name\": \"get_weather\",\n"
            "        \"description\": \"Get the weather\",\n        \"parameters\": {\n"
            "            \"type\": \"object\",\n            \"properties\": {\n                \"city\": {\n"
            "                    \"type\": \"string\"\n                }\n            },\n"
            "            \"required\": [\n                \"city\"\n            ]\n        }\n    }\n}\n\n"
            "Weather in Paris?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
            "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}<|eot_id|>"
            "<|start_header_id|>ipython<|end_header_id|>\n\n\"22C\"<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\n");
}

}  // namespace
}  // namespace hf::tmpl
