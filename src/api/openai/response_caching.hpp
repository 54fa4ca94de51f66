// The response cache as the generation routes use it: which requests may be answered from it
// (deterministic ones: temperature 0, or a seed given), the key (route, model, the loaded model's
// folder and load, and every body field that changes the output), and the answer: a hit replays
// the stored bytes (a stream as a stream) with `X-Cache: hit`; a miss computes through a
// recording responder with `X-Cache: miss` and stores what went out if it was a complete 200.
//   co_await respond_with_cache(ctx, lease, "/v1/completions", fields, req.options, call.deadline,
//   out,
//                               [&](responder& to) -> rt::task<void> { ...answer on `to`... });
#pragma once
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/openai/context.hpp"
#include "api/openai/requests.hpp"
#include "api/openai/responder.hpp"
#include "runtime/task.hpp"
#include "serving/cache/model_cache.hpp"

namespace hf::api {

// The cache may answer only what the model would answer the same way again.
bool is_deterministic(const generation_options& options);

// The cache key of a request body (its parsed fields) for `route` on the leased model: fields that
// do not change the output (user, priority) are left out; the rest is the canonical JSON (sorted
// keys).
std::string response_cache_key(std::string_view route, const serving::model_lease& lease,
                               const nlohmann::json& fields);

using compute_answer = std::function<rt::task<void>(responder&)>;

// Answers through ctx.responses when it is on and the request is deterministic; otherwise runs
// `compute` on `out` as it is. Waiting for an identical request's answer ends at `deadline` (504).
rt::task<void> respond_with_cache(api_context& ctx, const serving::model_lease& lease,
                                  std::string_view route, const nlohmann::json& fields,
                                  const generation_options& options, rt::time_point deadline,
                                  responder& out, compute_answer compute);

}  // namespace hf::api
