// Request parsing: the OpenAI ranges come from one table (openai_limits) and are checked by the
// engine's check_sampling_params, so a value outside them is a 422 naming the field, and every
// range the API allows is one the engine accepts.
#include "api/openai/requests.hpp"

#include <gtest/gtest.h>

#include <string>

#include "api/openai/api_error.hpp"
#include "api/openai/request_limits.hpp"

namespace hf::api {
namespace {

// The param of the api_error that parsing `body` throws, "" if it parses.
template <class Parse>
std::string rejected_param(Parse parse, const std::string& body) {
  try {
    parse(nlohmann::json::parse(body));
  } catch (const api_error& e) {
    EXPECT_EQ(e.status(), 422) << body << ": " << e.what();
    return e.param().value_or("?");
  }
  return "";
}

std::string completion_rejects(const std::string& extra) {
  return rejected_param(parse_completion_request,
                        R"({"model":"m","prompt":"hi")" + (extra.empty() ? "" : "," + extra) + "}");
}

TEST(requests, sampling_values_outside_the_openai_table_name_their_field) {
  EXPECT_EQ(completion_rejects(""), "");
  EXPECT_EQ(completion_rejects(R"("temperature":2)"), "");
  EXPECT_EQ(completion_rejects(R"("temperature":2.5)"), "temperature");
  EXPECT_EQ(completion_rejects(R"("temperature":-0.1)"), "temperature");
  EXPECT_EQ(completion_rejects(R"("top_p":0)"), "top_p");  // (0, 1]: zero keeps no token
  EXPECT_EQ(completion_rejects(R"("top_p":1)"), "");
  EXPECT_EQ(completion_rejects(R"("top_k":-1)"), "top_k");
  EXPECT_EQ(completion_rejects(R"("top_k":1048577)"), "top_k");
  EXPECT_EQ(completion_rejects(R"("min_p":1.5)"), "min_p");
  EXPECT_EQ(completion_rejects(R"("presence_penalty":-2.5)"), "presence_penalty");
  EXPECT_EQ(completion_rejects(R"("frequency_penalty":3)"), "frequency_penalty");
  EXPECT_EQ(completion_rejects(R"("repetition_penalty":0)"), "repetition_penalty");
  EXPECT_EQ(completion_rejects(R"("logit_bias":{"5":101})"), "logit_bias");
  EXPECT_EQ(completion_rejects(R"("logit_bias":{"5":-100})"), "");
  EXPECT_EQ(completion_rejects(R"("logit_bias":{"-5":1})"), "logit_bias");
  EXPECT_EQ(completion_rejects(R"("logit_bias":{"4294967296":1})"), "logit_bias");
  EXPECT_EQ(completion_rejects(R"("temperature":"hot")"), "temperature");
  EXPECT_EQ(completion_rejects(R"("n":17)"), "n");
  EXPECT_EQ(completion_rejects(R"("max_tokens":0)"), "max_tokens");
  EXPECT_EQ(completion_rejects(R"("logprobs":21)"), "logprobs");
  EXPECT_EQ(completion_rejects(R"("stop":["a","b","c","d","e"])"), "stop");
}

TEST(requests, chat_shares_the_generation_fields) {
  auto chat = [](const std::string& extra) {
    return rejected_param(
        parse_chat_request,
        R"({"model":"m","messages":[{"role":"user","content":"hi"}],)" + extra + "}");
  };
  EXPECT_EQ(chat(R"("temperature":3)"), "temperature");
  EXPECT_EQ(chat(R"("max_completion_tokens":0)"), "max_completion_tokens");
  EXPECT_EQ(chat(R"("logprobs":true,"top_logprobs":21)"), "top_logprobs");
  EXPECT_EQ(chat(R"("seed":1)"), "");
}

// Found by the api_json fuzz target: a non-string "type" threw json's type_error (a 500).
TEST(requests, a_non_string_type_member_is_a_422_not_a_json_exception) {
  auto chat = [](const std::string& content, const std::string& extra) {
    return rejected_param(
        parse_chat_request,
        R"({"model":"m","messages":[{"role":"user","content":)" + content + "}]" + extra + "}");
  };
  EXPECT_EQ(chat(R"([{"type":{},"text":"x"}])", ""), "messages");
  EXPECT_EQ(chat(R"([{"type":7,"text":"x"}])", ""), "messages");
  EXPECT_EQ(chat(R"([{"type":"text","text":"x"}])", ""), "");
  EXPECT_EQ(chat(R"("hi")", R"(,"response_format":{"type":[1]})"), "response_format");
  EXPECT_EQ(chat(R"("hi")", R"(,"response_format":{"type":"json_object"})"), "response_format");
  EXPECT_EQ(chat(R"("hi")", R"(,"response_format":{})"), "");
}

TEST(requests, priority_is_an_optional_int) {
  const auto parse = [](const char* body) {
    return parse_completion_request(nlohmann::json::parse(body)).options.priority;
  };
  EXPECT_EQ(parse(R"({"model":"m","prompt":"hi","priority":7})"), 7);
  EXPECT_EQ(parse(R"({"model":"m","prompt":"hi","priority":-2})"), -2);
  EXPECT_FALSE(parse(R"({"model":"m","prompt":"hi"})").has_value());
  EXPECT_EQ(completion_rejects(R"("priority":1.5)"), "priority");
  EXPECT_EQ(completion_rejects(R"("priority":"high")"), "priority");
  EXPECT_EQ(completion_rejects(R"("priority":3000000000)"), "priority");
}

TEST(requests, missing_required_fields_are_400s_naming_them) {
  for (const char* body : {R"({"model":"m"})", R"({"prompt":"x"})"}) {
    try {
      parse_completion_request(nlohmann::json::parse(body));
      ADD_FAILURE() << body;
    } catch (const api_error& e) {
      EXPECT_EQ(e.status(), 400);
      EXPECT_TRUE(e.param().has_value());
    }
  }
  EXPECT_THROW(parse_chat_request(nlohmann::json::parse(R"({"model":"m"})")), api_error);
  EXPECT_THROW(parse_embedding_request(nlohmann::json::parse(R"({"model":"m"})")), api_error);
}

// The API may only narrow the engine's ranges: a request it accepts must never fail later in
// the scheduler's check for a range reason.
TEST(request_limits, every_openai_range_lies_inside_the_engines) {
  const engine::sampling_ranges api = openai_limits.sampling, eng{};
  auto inside = [](const engine::value_range& a, const engine::value_range& e) {
    bool min_ok = a.min > e.min || (a.min == e.min && (a.min_open || !e.min_open));
    return min_ok && a.max <= e.max;
  };
  EXPECT_TRUE(inside(api.temperature, eng.temperature));
  EXPECT_TRUE(inside(api.top_k, eng.top_k));
  EXPECT_TRUE(inside(api.top_p, eng.top_p));
  EXPECT_TRUE(inside(api.min_p, eng.min_p));
  EXPECT_TRUE(inside(api.repetition_penalty, eng.repetition_penalty));
  EXPECT_TRUE(inside(api.presence_penalty, eng.presence_penalty));
  EXPECT_TRUE(inside(api.frequency_penalty, eng.frequency_penalty));
  EXPECT_TRUE(inside(api.logit_bias, eng.logit_bias));
}

}  // namespace
}  // namespace hf::api
