// POST /v1/embeddings.
#include <cmath>

#include "api/openai/api_error.hpp"
#include "api/openai/encoder_inputs.hpp"
#include "api/openai/handlers.hpp"
#include "api/openai/json_fields.hpp"
#include "api/openai/model_lease_for.hpp"
#include "api/openai/requests.hpp"
#include "api/openai/response_json.hpp"

namespace hf::api {
namespace {

std::string base64_floats(const std::vector<float>& v) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* bytes = reinterpret_cast<const unsigned char*>(v.data());  // little-endian float32
  std::size_t n = v.size() * sizeof(float);
  std::string out;
  out.reserve((n + 2) / 3 * 4);
  for (std::size_t i = 0; i < n; i += 3) {
    std::uint32_t chunk = bytes[i] << 16;
    if (i + 1 < n) chunk |= bytes[i + 1] << 8;
    if (i + 2 < n) chunk |= bytes[i + 2];
    out += alphabet[(chunk >> 18) & 63];
    out += alphabet[(chunk >> 12) & 63];
    out += i + 1 < n ? alphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < n ? alphabet[chunk & 63] : '=';
  }
  return out;
}

void l2_normalize(std::vector<float>& v) {
  double sum = 0;
  for (float x : v) sum += static_cast<double>(x) * x;
  if (sum <= 0) return;
  auto inv = static_cast<float>(1.0 / std::sqrt(sum));
  for (float& x : v) x *= inv;
}

}  // namespace

rt::task<void> handle_embeddings(api_context& ctx, call_options call, std::string_view body,
                                 responder& out) {
  embedding_request req = parse_embedding_request(parse_json_object(body));
  serving::model_lease lease = co_await lease_for(ctx, req.model, model_use::embed, "embeddings");
  const auto& model = lease.model();
  std::size_t hidden = model.encoder->hidden_size();
  if (req.dimensions && *req.dimensions > hidden) {
    throw api_error::invalid_param(
        "dimensions", "this model's embeddings have " + std::to_string(hidden) + " dimensions");
  }
  std::vector<serving::encoder_job_input> inputs = encoder_inputs(model, req.inputs);
  auto outputs =
      co_await lease.encoder()->embed(std::move(inputs), route_embed_options(model), call.deadline);
  nlohmann::json data = nlohmann::json::array();
  std::size_t tokens = 0;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    auto& e = outputs[i].embedding;
    tokens += outputs[i].tokens;
    if (req.dimensions && *req.dimensions < e.size()) {
      e.resize(*req.dimensions);  // Matryoshka-style shortening, then back to unit length
      l2_normalize(e);
    }
    data.push_back(
        {{"object", "embedding"},
         {"index", i},
         {"embedding", req.base64 ? nlohmann::json(base64_floats(e)) : nlohmann::json(e)}});
  }
  out.report_usage({.prompt_tokens = tokens});
  nlohmann::json resp = {{"object", "list"},
                         {"data", std::move(data)},
                         {"model", req.model},
                         {"usage", {{"prompt_tokens", tokens}, {"total_tokens", tokens}}}};
  co_await out.json(200, resp.dump());
}

}  // namespace hf::api
