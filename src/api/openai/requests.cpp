#include "api/openai/requests.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/openai/api_error.hpp"
#include "api/openai/json_fields.hpp"
#include "api/openai/request_limits.hpp"

namespace hf::api {
namespace {

bool is_token_array(const nlohmann::json& v) {
  if (!v.is_array() || v.empty()) return false;
  for (const auto& x : v) {
    if (!x.is_number_integer()) return false;
  }
  return true;
}

std::vector<int32_t> token_ids(const nlohmann::json& v, const char* field) {
  std::vector<int32_t> ids;
  for (const auto& x : v) {
    auto id = x.get<std::int64_t>();
    if (id < 0 || id > INT32_MAX) throw api_error::invalid_param(field, "token ids must be >= 0");
    ids.push_back(static_cast<int32_t>(id));
  }
  return ids;
}

// The fields every generation request shares. Values are read with their JSON type checked; their
// ranges are openai_limits', checked by the same function as the scheduler's.
generation_options parse_generation(const json_fields& f, const char* max_tokens_key) {
  const request_limits& lim = openai_limits;
  generation_options o;
  auto& s = o.sampling;
  auto real = [&](const char* key, float fallback) {
    return static_cast<float>(f.number(key).value_or(fallback));
  };
  s.temperature = real("temperature", 1);
  s.top_p = real("top_p", 1);
  s.min_p = real("min_p", 0);
  s.presence_penalty = real("presence_penalty", 0);
  s.frequency_penalty = real("frequency_penalty", 0);
  s.repetition_penalty = real("repetition_penalty", 1);
  // A negative top_k wraps to a huge size_t, which the range check then rejects.
  s.top_k = static_cast<std::size_t>(f.integer("top_k", INT64_MIN, INT64_MAX).value_or(0));
  if (auto seed = f.integer("seed", INT64_MIN, INT64_MAX)) s.seed = static_cast<uint64_t>(*seed);
  if (auto m = f.integer(max_tokens_key, 1, lim.max_tokens)) {
    s.max_tokens = static_cast<std::size_t>(*m);
  } else if (auto m2 = f.integer("max_tokens", 1, lim.max_tokens)) {
    s.max_tokens = static_cast<std::size_t>(*m2);
  }
  s.stop = f.string_or_strings("stop", lim.max_stop);
  if (const nlohmann::json* bias = f.get("logit_bias")) {
    if (!bias->is_object()) throw api_error::invalid_param("logit_bias", "must be an object");
    for (const auto& [k, val] : bias->items()) {
      char* end = nullptr;
      long id = std::strtol(k.c_str(), &end, 10);
      if (k.empty() || *end != '\0' || id < 0 || id > INT32_MAX) {
        throw api_error::invalid_param("logit_bias", "keys must be token ids, got '" + k + "'");
      }
      if (!val.is_number()) throw api_error::invalid_param("logit_bias", "values must be numbers");
      s.logit_bias.emplace_back(static_cast<int32_t>(id), val.get<float>());
    }
  }
  if (auto bad = engine::check_sampling_params(s, lim.sampling, std::nullopt)) {
    throw api_error::invalid_param(bad->param, bad->message);
  }
  if (auto ignore = f.boolean("ignore_eos")) s.ignore_eos = *ignore;
  o.n = static_cast<std::size_t>(f.integer("n", 1, lim.max_n).value_or(1));
  o.stream = f.boolean("stream").value_or(false);
  if (const nlohmann::json* so = f.get("stream_options")) {
    if (!so->is_object()) throw api_error::invalid_param("stream_options", "must be an object");
    json_fields sf(*so);
    o.include_usage = sf.boolean("include_usage").value_or(false);
  }
  o.user = f.string("user");
  if (auto priority = f.integer("priority", INT32_MIN, INT32_MAX)) {
    o.priority = static_cast<int>(*priority);
  }
  return o;
}

// Whether object[key] is the string `want`: false when absent or of another type (json::value
// would throw type_error for a non-string, which reached clients as a 500; found by fuzzing).
bool string_member_is(const nlohmann::json& object, const char* key, std::string_view want) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() && it->get_ref<const std::string&>() == want;
}

void reject_unsupported(const json_fields& f, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    if (f.has(k)) throw api_error::invalid_param(k, "is not supported by this server yet");
  }
}

}  // namespace

std::vector<prompt_input> parse_prompt_inputs(const nlohmann::json& v, const char* field) {
  const char* shape = "must be a string, a list of strings, a list of token ids or a list of lists "
                      "of token ids";
  std::vector<prompt_input> out;
  if (v.is_string()) {
    out.emplace_back(v.get<std::string>());
  } else if (is_token_array(v)) {
    out.emplace_back(token_ids(v, field));
  } else if (v.is_array() && !v.empty()) {
    for (const auto& item : v) {
      if (item.is_string()) {
        out.emplace_back(item.get<std::string>());
      } else if (is_token_array(item)) {
        out.emplace_back(token_ids(item, field));
      } else {
        throw api_error::invalid_param(field, shape);
      }
    }
  } else {
    throw api_error::invalid_param(field, shape);
  }
  return out;
}

completion_request parse_completion_request(const nlohmann::json& body) {
  json_fields f(body);
  completion_request r;
  r.model = f.required_string("model");
  r.prompts = parse_prompt_inputs(f.required("prompt"), "prompt");
  r.options = parse_generation(f, "max_tokens");
  r.echo = f.boolean("echo").value_or(false);
  if (auto lp = f.integer("logprobs", 0, openai_limits.max_logprobs)) {
    r.options.sampling.logprobs = *lp;
  }
  if (auto best_of = f.integer("best_of", 1, openai_limits.max_n);
      best_of && *best_of != static_cast<std::int64_t>(r.options.n)) {
    throw api_error::invalid_param("best_of", "only best_of == n is supported");
  }
  if (r.echo && r.options.sampling.logprobs) {
    throw api_error::invalid_param("echo", "echo together with logprobs is not supported yet");
  }
  reject_unsupported(f, {"suffix"});
  return r;
}

chat_request parse_chat_request(const nlohmann::json& body) {
  json_fields f(body);
  chat_request r;
  r.model = f.required_string("model");
  const nlohmann::json& msgs = f.required("messages");
  if (!msgs.is_array() || msgs.empty()) {
    throw api_error::invalid_param("messages", "must be a non-empty list of messages");
  }
  for (const auto& m : msgs) {
    if (!m.is_object()) throw api_error::invalid_param("messages", "each message must be an object");
    json_fields mf(m);
    chat_message cm;
    cm.role = mf.required_string("role");
    static const char* roles[] = {"system", "developer", "user", "assistant", "tool"};
    if (std::find(std::begin(roles), std::end(roles), cm.role) == std::end(roles)) {
      throw api_error::invalid_param("messages", "unknown role '" + cm.role + "'");
    }
    if (const nlohmann::json* c = mf.get("content")) {
      if (c->is_string()) {
        cm.content = c->get<std::string>();
      } else if (c->is_array()) {
        for (const auto& part : *c) {
          if (!part.is_object() || !string_member_is(part, "type", "text") ||
              !part.contains("text") || !part["text"].is_string()) {
            throw api_error::invalid_param(
                "messages", "only text content parts ({\"type\":\"text\",\"text\":...}) are supported");
          }
          cm.content += part["text"].get<std::string>();
        }
      } else {
        throw api_error::invalid_param("messages", "content must be a string or a list of parts");
      }
    } else if (cm.role != "assistant") {
      throw api_error::bad_request("each message needs 'content'", "messages");
    }
    for (const auto& [k, v] : m.items()) {
      if (k != "role" && k != "content") cm.extra[k] = v;
    }
    r.messages.push_back(std::move(cm));
  }
  r.options = parse_generation(f, "max_completion_tokens");
  if (!f.has("max_tokens") && !f.has("max_completion_tokens")) {
    r.options.sampling.max_tokens = SIZE_MAX;  // OpenAI: up to the context left (clamped later)
  }
  r.logprobs = f.boolean("logprobs").value_or(false);
  if (auto top = f.integer("top_logprobs", 0, openai_limits.max_logprobs)) {
    if (!r.logprobs) throw api_error::invalid_param("top_logprobs", "requires logprobs to be true");
    r.options.sampling.logprobs = *top;
  } else if (r.logprobs) {
    r.options.sampling.logprobs = 0;
  }
  if (const nlohmann::json* rf = f.get("response_format")) {
    if (!rf->is_object() || (rf->contains("type") && !string_member_is(*rf, "type", "text"))) {
      throw api_error::invalid_param("response_format", "only {\"type\":\"text\"} is supported yet");
    }
  }
  if (const nlohmann::json* tools = f.get("tools")) r.tools = *tools;
  r.add_generation_prompt = f.boolean("add_generation_prompt").value_or(true);  // vLLM's extension
  return r;
}

embedding_request parse_embedding_request(const nlohmann::json& body) {
  json_fields f(body);
  embedding_request r;
  r.model = f.required_string("model");
  r.inputs = parse_prompt_inputs(f.required("input"), "input");
  for (const auto& in : r.inputs) {
    if (const auto* s = std::get_if<std::string>(&in); s && s->empty()) {
      throw api_error::invalid_param("input", "must not contain empty strings");
    }
  }
  std::string format = f.string("encoding_format").value_or("float");
  if (format != "float" && format != "base64") {
    throw api_error::invalid_param("encoding_format", "must be 'float' or 'base64'");
  }
  r.base64 = format == "base64";
  if (auto d = f.integer("dimensions", 1, openai_limits.max_dimensions))
    r.dimensions = static_cast<std::size_t>(*d);
  return r;
}

}  // namespace hf::api
