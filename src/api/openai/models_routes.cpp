// GET /v1/models, GET /v1/models/{id}, GET /models, POST /models/load, POST /models/unload.
#include <system_error>

#include "api/openai/api_error.hpp"
#include "api/openai/handlers.hpp"
#include "api/openai/json_fields.hpp"
#include "api/openai/requests.hpp"
#include "api/openai/response_json.hpp"

namespace hf::api {
namespace {

nlohmann::json model_object(const available_model& m) {
  return {{"id", m.id},
          {"object", "model"},
          {"created", m.created},
          {"owned_by", "hfserve"},
          {"architecture", m.architecture},
          {"task", m.task},
          {"parameters", m.parameters},
          {"dtype", m.dtype},
          {"size_bytes", m.size_bytes}};
}

// A folder given by path must resolve (symlinks and "..") to somewhere under a model root.
std::filesystem::path checked_model_path(const api_context& ctx, const std::string& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::weakly_canonical(path, ec);
  if (ec || !std::filesystem::is_directory(p)) {
    throw api_error::invalid_param("path", "'" + path + "' is not a model folder");
  }
  for (const auto& root : ctx.model_roots) {
    std::filesystem::path r = std::filesystem::weakly_canonical(root, ec);
    if (ec) continue;
    auto rel = p.lexically_relative(r);
    if (!rel.empty() && *rel.begin() != "..") return p;
  }
  throw api_error(403, "permission_error",
                  "'" + path + "' is outside the configured model folders", "path", "forbidden");
}

}  // namespace

rt::task<void> handle_list_models(api_context& ctx, responder& out) {
  nlohmann::json data = nlohmann::json::array();
  const auto models = ctx.available();  // named: see handle_loaded_models
  for (const auto& m : models) {
    if (m.supported) data.push_back(model_object(m));
  }
  std::string reply = nlohmann::json{{"object", "list"}, {"data", data}}.dump();
  co_await out.json(200, std::move(reply));
}

rt::task<void> handle_get_model(api_context& ctx, std::string id, responder& out) {
  const auto models = ctx.available();  // named: see handle_loaded_models
  for (const auto& m : models) {
    if (m.id == id) {
      co_await out.json(200, model_object(m).dump());
      co_return;
    }
  }
  throw api_error::model_not_found(id);
}

rt::task<void> handle_loaded_models(api_context& ctx, responder& out) {
  nlohmann::json data = nlohmann::json::array();
  nlohmann::json hw = ctx.hardware ? ctx.hardware() : nlohmann::json();
  // Named, not a temporary in the range-for: GCC 12 does not extend the lifetime of a range-for
  // temporary across a coroutine's suspension (seen under ASan).
  const auto statuses = ctx.cache->status();
  for (const auto& s : statuses) {
    nlohmann::json j = {{"id", s.id},
                        {"state", s.state},
                        {"path", s.dir.string()},
                        {"architecture", s.architecture},
                        {"dtype", s.dtype},
                        {"memory_bytes", s.memory_bytes},
                        {"in_flight", s.in_flight},
                        {"queued", s.queued},
                        {"load_ms", s.load_ms},
                        {"device", "cpu"}};
    if (s.generation) {
      j["generation"] = {{"active", s.generation->active},
                         {"completed", s.generation->completed},
                         {"generated_tokens", s.generation->generated_tokens},
                         {"steps", s.generation->steps}};
    }
    data.push_back(std::move(j));
  }
  std::string reply = nlohmann::json{{"object", "list"}, {"data", data}, {"hardware", hw}}.dump();
  co_await out.json(200, std::move(reply));
}

namespace {

// /models/load "dtype": the weight type the model is loaded with; a model already loaded with
// another one must be unloaded first (a silent reload would drop the requests running on it).
void request_dtype(api_context& ctx, const std::string& id, const std::string& name) {
  const auto dtype = engine::dtype_request::parse(name);
  if (!dtype)
    throw api_error::bad_request("'dtype' must be one of " +
                                     std::string(engine::dtype_request::choices) + ", not '" +
                                     name + "'",
                                 "dtype");
  if (!ctx.cache->set_dtype(id, *dtype))
    throw api_error(409, "invalid_request_error",
                    "the model '" + id + "' is loaded as " +
                        ctx.cache->loaded_dtype(id).value_or(dtype->name()) +
                        "; unload it before loading it as " + dtype->name(),
                    "dtype", "model_dtype_conflict");
}

}  // namespace

rt::task<void> handle_load_model(api_context& ctx, call_options /*call*/, std::string_view body,
                                 responder& out) {
  nlohmann::json j = parse_json_object(body);
  json_fields f(j);
  std::optional<std::string> id = f.string("model");
  if (auto path = f.string("path")) {
    std::filesystem::path dir = checked_model_path(ctx, *path);
    available_model m;
    m.id = id ? *id : dir.filename().string();
    m.dir = dir;
    ctx.add_model(m);
    id = m.id;
  }
  if (!id) throw api_error::bad_request("'model' or 'path' is required", "model");
  if (auto dtype = f.string("dtype")) request_dtype(ctx, *id, *dtype);
  auto started = std::chrono::steady_clock::now();
  std::string loaded_as;
  {
    serving::model_lease lease = co_await ctx.cache->acquire(*id);
    loaded_as = engine::weight_type_name(lease.model().model->dtype());
  }
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  std::string reply =
      nlohmann::json{{"status", "loaded"}, {"model", *id}, {"dtype", loaded_as}, {"ms", ms}}.dump();
  co_await out.json(200, std::move(reply));
}

rt::task<void> handle_unload_model(api_context& ctx, call_options /*call*/, std::string_view body,
                                   responder& out) {
  nlohmann::json j = parse_json_object(body);
  std::string id = json_fields(j).required_string("model");
  switch (ctx.cache->unload(id)) {
    case serving::model_cache::unload_result::unloaded: {
      std::string reply = nlohmann::json{{"status", "unloaded"}, {"model", id}}.dump();
      co_await out.json(200, std::move(reply));
      co_return;
    }
    case serving::model_cache::unload_result::not_loaded:
      throw api_error(404, "invalid_request_error", "the model '" + id + "' is not loaded",
                      "model", "model_not_loaded");
    case serving::model_cache::unload_result::busy:
      throw api_error(409, "invalid_request_error",
                      "the model '" + id + "' has requests in flight; try again later", "model",
                      "model_busy");
  }
}

}  // namespace hf::api
