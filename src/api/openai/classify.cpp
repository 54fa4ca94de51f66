// POST /classify (vLLM's shape) for sequence-classification models, batched with the other
// encoder requests of the model.
#include "api/openai/api_error.hpp"
#include "api/openai/encoder_inputs.hpp"
#include "api/openai/handlers.hpp"
#include "api/openai/json_fields.hpp"
#include "api/openai/model_lease_for.hpp"
#include "api/openai/pooling_requests.hpp"
#include "api/openai/response_json.hpp"

namespace hf::api {

rt::task<void> handle_classify(api_context& ctx, call_options call, std::string_view body,
                               responder& out) {
  classify_request req = parse_classify_request(parse_json_object(body));
  serving::model_lease lease =
      co_await lease_for(ctx, req.model, model_use::classify, "classification (it has no labels)");
  const auto& model = lease.model();
  auto outputs =
      co_await lease.encoder()->classify(encoder_inputs(model, req.inputs), call.deadline);
  const auto& labels = model.encoder->labels();
  nlohmann::json data = nlohmann::json::array();
  std::size_t tokens = 0;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const auto& o = outputs[i];
    tokens += o.tokens;
    data.push_back({{"index", i},
                    {"label", labels.at(o.label_id)},
                    {"probs", o.probs},
                    {"num_classes", o.probs.size()}});
  }
  nlohmann::json resp = {{"id", make_response_id("classify")},
                         {"object", "list"},
                         {"created", unix_now()},
                         {"model", req.model},
                         {"data", std::move(data)},
                         {"usage", usage_json(tokens, 0)}};
  co_await out.json(200, resp.dump());
}

}  // namespace hf::api
