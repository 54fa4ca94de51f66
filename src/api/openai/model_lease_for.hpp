// The model a route runs on, leased (loaded first if needed) and checked to do what the route
// needs, so that each handler does not repeat the acquire-then-check and its error.
//   serving::model_lease lease = co_await lease_for(ctx, req.model, model_use::generate, "chat");
#pragma once
#include <string>

#include "api/openai/context.hpp"
#include "runtime/task.hpp"
#include "serving/cache/model_cache.hpp"

namespace hf::api {

enum class model_use {
  generate,  // a causal LM (completions, chat)
  embed,     // an encoder (embeddings)
  classify,  // an encoder with classification labels (/classify)
};

// Throws what acquire() throws (404 unknown, 503 loading failed, ...), and a 400 naming `model`
// when it cannot be used so: "the model 'x' does not support <what>". `what` is a literal.
rt::task<serving::model_lease> lease_for(api_context& ctx, std::string model, model_use use,
                                         const char* what);

}  // namespace hf::api
