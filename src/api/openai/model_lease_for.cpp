#include "api/openai/model_lease_for.hpp"

#include "api/openai/api_error.hpp"

namespace hf::api {
namespace {

bool can(const serving::model_lease& lease, model_use use) {
  switch (use) {
    case model_use::generate:
      return lease.generator() != nullptr;
    case model_use::embed:
      return lease.encoder() != nullptr;
    case model_use::classify:
      return lease.encoder() != nullptr && !lease.model().encoder->labels().empty();
  }
  return false;
}

}  // namespace

rt::task<serving::model_lease> lease_for(api_context& ctx, std::string model, model_use use,
                                         const char* what) {
  serving::model_lease lease = co_await ctx.cache->acquire(model);
  if (!can(lease, use)) {
    throw api_error::bad_request("the model '" + model + "' does not support " + what, "model");
  }
  co_return lease;
}

}  // namespace hf::api
