// GET /admin/queue: what waits for each loaded model and what runs, for an operator deciding
// whether to add capacity. Generation models show their queue by priority, the oldest request's
// wait and the running batch; embedding and classification models show their batcher's queue.
#include "api/openai/handlers.hpp"
#include "runtime/sleep.hpp"  // current_time

namespace hf::api {

rt::task<void> handle_queue_status(api_context& ctx, responder& out) {
  const rt::time_point now = rt::current_time();
  nlohmann::json models = nlohmann::json::array();
  // Named, not a temporary in the range-for: GCC 12 does not extend the lifetime of a range-for
  // temporary across a coroutine's suspension.
  const auto statuses = ctx.cache->status();
  for (const auto& s : statuses) {
    nlohmann::json m = {{"id", s.id}, {"state", s.state}, {"queued", s.queued}};
    if (s.generation) {
      const serving::scheduler_stats& g = *s.generation;
      nlohmann::json by_priority = nlohmann::json::array();
      for (const auto& [priority, waiting] : g.queued_by_priority) {
        by_priority.push_back({{"priority", priority}, {"queued", waiting}});
      }
      m["by_priority"] = std::move(by_priority);
      m["oldest_wait_s"] =
          g.oldest_queued
              ? nlohmann::json(std::chrono::duration<double>(now - *g.oldest_queued).count())
              : nlohmann::json(nullptr);
      m["running"] = g.active;
      m["reserved_tokens"] = g.reserved_tokens;  // of --max-total-tokens, when set
      m["timed_out"] = g.timed_out;
    }
    models.push_back(std::move(m));
  }
  nlohmann::json body = {{"models", std::move(models)}};
  std::string text = body.dump();
  co_await out.json(200, std::move(text));
}

}  // namespace hf::api
