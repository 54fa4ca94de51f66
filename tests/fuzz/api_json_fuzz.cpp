// Fuzzes the decoding of every JSON request body the API accepts: the body is parsed as
// parse_json_object does for each route, then handed to that route's parse_* function. The first
// input byte picks the route. A decoding failure must be an api_error with a 4xx status (what
// the client gets); any other exception escaping is a bug (the server would answer 500).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/openai/api_error.hpp"
#include "api/openai/json_fields.hpp"
#include "api/openai/key_requests.hpp"
#include "api/openai/pooling_requests.hpp"
#include "api/openai/request_limits.hpp"
#include "api/openai/requests.hpp"
#include "api/openai/tokenize_requests.hpp"
#include "fuzz/fuzz_check.hpp"

namespace {

using namespace hf::api;

void check_generation(const generation_options& o) {
  FUZZ_CHECK(o.n >= 1, "a decoded request asks for no choices");
  FUZZ_CHECK(
      o.sampling.logprobs.value_or(0) <= static_cast<std::size_t>(openai_limits.max_logprobs),
      "more logprobs than the limit were accepted");
}

void decode(std::uint8_t route, const nlohmann::json& body) {
  switch (route % 11) {
    case 0: {
      const completion_request r = parse_completion_request(body);
      FUZZ_CHECK(!r.prompts.empty(), "a completion without a prompt was accepted");
      check_generation(r.options);
      break;
    }
    case 1: {
      const chat_request r = parse_chat_request(body);
      FUZZ_CHECK(!r.messages.empty(), "a chat without messages was accepted");
      check_generation(r.options);
      break;
    }
    case 2: {
      const embedding_request r = parse_embedding_request(body);
      FUZZ_CHECK(!r.inputs.empty(), "an embedding request without input was accepted");
      break;
    }
    case 3:
      (void)parse_tokenize_request(body);
      break;
    case 4:
      (void)parse_detokenize_request(body);
      break;
    case 5: {
      const classify_request r = parse_classify_request(body);
      FUZZ_CHECK(r.inputs.size() <= k_max_pooling_inputs, "too many classify inputs accepted");
      break;
    }
    case 6:
      (void)parse_rerank_request(body);
      break;
    case 7: {
      const score_request r = parse_score_request(body);
      FUZZ_CHECK(r.pairs.size() <= k_max_pooling_inputs, "too many score pairs accepted");
      break;
    }
    case 8:
      (void)parse_key_spec(body);
      break;
    case 9: {  // POST /models/load and /models/unload read these fields
      json_fields f(body);
      (void)f.string("model");
      (void)f.string("path");
      (void)f.required_string("model");
      break;
    }
    default:  // a prompt field on its own ("prompt" / "input" of every route)
      (void)parse_prompt_inputs(body.contains("prompt") ? body["prompt"] : body, "prompt");
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    decode(data[0], parse_json_object(text));
  } catch (const api_error& e) {
    FUZZ_CHECK(e.status() >= 400 && e.status() < 500, "a decoding error is not a 4xx");
  }
  return 0;
}
