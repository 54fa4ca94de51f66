#include "api/openai/websocket_session.hpp"

#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "api/openai/api_error.hpp"
#include "api/openai/auth_check.hpp"
#include "api/openai/handlers.hpp"
#include "api/openai/rate_limit_check.hpp"
#include "api/openai/responder.hpp"
#include "runtime/errors.hpp"
#include "runtime/sleep.hpp"
#include "runtime/streams/memory_stream.hpp"
#include "runtime/task_group.hpp"
#include "runtime/task_handle.hpp"

namespace hf::api {
namespace {

namespace http = net::http;
using json = nlohmann::json;

// Generations one socket may run at once; more is refused with an error message (a client that
// wants more opens another socket, which the server's connection limit bounds).
constexpr std::size_t k_max_running = 16;
// Messages queued for the socket's writer; a slow reader makes generations wait, not grow memory.
constexpr std::size_t k_outbox = 256;
// How often a status subscription looks for a change (it sends only when something changed).
constexpr auto k_status_period = std::chrono::milliseconds(200);
constexpr std::string_view k_ws_method = "WS";

std::string id_json(const std::string& id) {
  return json(id).dump();
}

std::string error_message(const std::string& id, const api_error& e,
                          std::optional<std::string_view> retry_after = std::nullopt) {
  json m = {{"type", "error"}, {"status", e.status()}, {"error", api_error_body(e)["error"]}};
  m["id"] = id.empty() ? json(nullptr) : json(id);
  if (retry_after) m["retry_after"] = std::stoi(std::string(*retry_after));
  return m.dump();
}

// The models' state as a status subscriber sees it.
json status_snapshot(const api_context& ctx) {
  json models = json::array();
  const auto statuses = ctx.cache->status();
  for (const auto& s : statuses) {
    json m = {{"id", s.id}, {"state", s.state}, {"memory_bytes", s.memory_bytes}};
    m["queued"] = s.generation ? s.generation->queued : 0;
    m["active"] = s.generation ? s.generation->active : 0;
    models.push_back(std::move(m));
  }
  return models;
}

// {"type":TYPE,"id":ID<fields>}; `fields` is empty or ",name:value..." already in JSON.
std::string message(std::string_view type, std::string_view id_json, std::string_view fields) {
  std::string m = R"({"type":")";
  m.append(type).append(R"(","id":)").append(id_json).append(fields).push_back('}');
  return m;
}

// The members of a JSON object's text, without its braces: {"error":{...}} -> "error":{...}.
std::string_view members(std::string_view object) {
  return object.size() >= 2 ? object.substr(1, object.size() - 2) : std::string_view();
}

// A generation's answers as WebSocket messages, through the session's writer.
class ws_responder final : public responder {
 public:
  ws_responder(rt::send_stream<std::string>& out, const std::string& id)
      : out_(out), id_(id_json(id)) {}

  rt::task<void> json(int status, std::string body) override {
    if (status >= 400) {
      const std::string fields =
          R"(,"status":)" + std::to_string(status) + "," + std::string(members(body));
      co_await out_.send(message("error", id_, fields));
    } else {
      co_await out_.send(message("result", id_, R"(,"data":)" + body));
    }
  }
  rt::task<void> text(int status, std::string_view, std::string body) override {
    return json(status, nlohmann::json(body).dump());
  }
  rt::task<void> start_events() override { co_return; }
  rt::task<void> event(std::string_view data) override {
    if (data == "[DONE]") {
      co_await out_.send(message("done", id_, ""));
    } else if (data.starts_with(R"({"error")")) {  // send_stream_error's event
      co_await out_.send(message("error", id_, "," + std::string(members(data))));
    } else {
      co_await out_.send(message("chunk", id_, R"(,"data":)" + std::string(data)));
    }
  }
  rt::task<void> end_events() override { co_return; }
  void report_usage(const usage_report& usage) override { usage_ = usage; }
  const usage_report& usage() const { return usage_; }

 private:
  rt::send_stream<std::string>& out_;
  std::string id_;  // as JSON
  usage_report usage_;
};

class session {
 public:
  session(api_context& ctx, http::websocket& ws, const http::request& upgrade)
      : ctx_(ctx), ws_(ws), upgrade_(upgrade) {
    auto [tx, rx] = rt::create_memory_object_stream<std::string>(k_outbox);
    tx_ = std::move(tx);
    rx_ = std::move(rx);
  }

  rt::task<void> run() {
    co_await rt::with_task_group([this](rt::task_group& tg) -> rt::task<void> {
      tg_ = &tg;
      tg.start_soon([this, &tg] { return write_loop(tg); });
      while (auto msg = co_await ws_.receive()) {
        if (msg->binary) {
          co_await reply_error("", api_error::bad_request("binary messages are not understood"));
          continue;
        }
        co_await dispatch(msg->data);
      }
      tg.cancel("the client closed the WebSocket");
    });
  }

 private:
  // The one task that writes to the socket: a cancelled generation never leaves half a frame.
  rt::task<void> write_loop(rt::task_group& tg) {
    try {
      for (;;) {
        const std::optional<std::string> m = co_await rx_.receive_or_end();
        if (!m) break;
        co_await ws_.send_text(*m);
      }
    } catch (const rt::broken_resource_error&) {
      tg.cancel("the client is gone");
    } catch (const rt::closed_resource_error&) {
      tg.cancel("the WebSocket is closing");
    }
  }

  rt::task<void> reply_error(const std::string& id, const api_error& e) {
    co_await tx_.send(error_message(id, e));
  }

  rt::task<void> dispatch(const std::string& text) {
    json msg = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!msg.is_object() || !msg.contains("type") || !msg["type"].is_string()) {
      co_await reply_error(
          "", api_error::bad_request("a message is a JSON object with a string \"type\"", "type"));
      co_return;
    }
    const std::string type = msg["type"];
    if (type == "subscribe" || type == "unsubscribe") {
      co_await subscription(msg, type == "subscribe");
      co_return;
    }
    if (type != "completion" && type != "chat" && type != "cancel") {
      co_await reply_error(
          "", api_error::invalid_param("type", "unknown message type '" + type +
                                                   "' (completion, chat, cancel, subscribe, "
                                                   "unsubscribe)"));
      co_return;
    }
    if (!msg.contains("id") || !msg["id"].is_string() ||
        msg["id"].get_ref<const std::string&>().empty()) {
      co_await reply_error("", api_error::invalid_param("id", "a non-empty string id is required"));
      co_return;
    }
    std::string id = msg["id"];
    if (type == "cancel") {
      co_await cancel(id);
      co_return;
    }
    if (running_.contains(id)) {
      co_await reply_error(
          id, api_error::invalid_param("id", "a generation '" + id + "' is already running"));
      co_return;
    }
    if (running_.size() >= k_max_running) {
      co_await reply_error(id, api_error(429, "rate_limit_error",
                                         "at most " + std::to_string(k_max_running) +
                                             " generations run at once on one socket",
                                         std::nullopt, "too_many_generations"));
      co_return;
    }
    msg.erase("type");
    msg.erase("id");
    if (!msg.contains("stream")) msg["stream"] = true;
    const bool chat = type == "chat";
    running_.emplace(id, tg_->start_soon([this, id, chat, body = msg.dump()] {
      return generate(id, chat, body);
    }));
  }

  rt::task<void> cancel(const std::string& id) {
    auto it = running_.find(id);
    if (it == running_.end()) {
      co_await reply_error(
          id, api_error(404, "invalid_request_error", "no generation '" + id + "' is running", "id",
                        "generation_not_found"));
      co_return;
    }
    // The task stops at its next checkpoint, before it can queue another message, so this one
    // is the last about that id.
    it->second.cancel();
    running_.erase(it);
    co_await tx_.send(message("cancelled", id_json(id), ""));
  }

  rt::task<void> subscription(const json& msg, bool on) {
    const json events = msg.value("events", json::array({"status"}));
    bool status = false;
    if (events.is_array()) {
      for (const auto& e : events) status = status || e == "status";
    }
    if (!status) {
      co_await reply_error("", api_error::invalid_param("events", "the only event is \"status\""));
      co_return;
    }
    if (on && !status_watch_) {
      status_watch_ = tg_->start_soon([this] { return watch_status(); });
    } else if (!on && status_watch_) {
      status_watch_->cancel();
      status_watch_.reset();
    }
  }

  // Sends the models' state now and whenever it changes (load, unload, queue depth).
  rt::task<void> watch_status() {
    json last;
    for (;;) {
      json now = status_snapshot(ctx_);
      if (now != last) {
        json message = json::object();  // named: GCC 12 miscompiles braced temporaries in co_await
        message["type"] = "status";
        message["models"] = now;
        co_await tx_.send(message.dump());
        last = std::move(now);
      }
      co_await rt::sleep(k_status_period);
    }
  }

  rt::task<void> generate(std::string id, bool chat, std::string body) {
    ws_responder out(tx_, id);
    const rt::time_point started = rt::current_time();
    std::optional<auth::key_record> key;
    std::exception_ptr error;
    bool cancelled = false;
    http::header_list limits;
    try {
      key = authorize(ctx_.auth, upgrade_, route_access::inference,
                      [&body] { return model_field(body); });
      if (key && ctx_.auth.limits) co_await admit_request(*ctx_.auth.limits, *key, limits);
      // A socket has no per-generation headers: the body's priority and the server's timeout.
      const call_options call =
          call_options_from(std::nullopt, std::nullopt, ctx_.request_timeout, started);
      if (chat) {
        co_await handle_chat_completions(ctx_, call, body, out);
      } else {
        co_await handle_completions(ctx_, call, body, out);
      }
    } catch (const rt::cancelled&) {
      cancelled = true;
      error = std::current_exception();
    } catch (...) {
      error = std::current_exception();
    }
    const usage_report& usage = out.usage();
    if (key && ctx_.auth.limits) {
      charge_request(*ctx_.auth.limits, *key, usage.prompt_tokens + usage.completion_tokens);
    }
    std::optional<api_error> failure;
    if (error && !cancelled) failure = error_from_exception(error);
    // A stream that ended with an error event (already sent to the client) is recorded as such.
    const std::optional<api_error>& recorded = failure ? failure : out.stream_error();
    report(body, key, usage, started,
           cancelled  ? 499
           : recorded ? recorded->status()
                      : 200,
           recorded ? recorded->code().value_or(recorded->type()) : "");
    if (cancelled) std::rethrow_exception(error);
    running_.erase(id);
    if (failure) {
      try {
        co_await tx_.send(error_message(id, *failure, limits.get("retry-after")));
      } catch (const rt::broken_resource_error&) {  // the writer is gone with the socket
      }
    }
  }

  void report(const std::string& body, const std::optional<auth::key_record>& key,
              const usage_report& usage, rt::time_point started, int status,
              std::string error_code) const {
    if (!ctx_.on_request) return;
    request_record r = answered_request(k_websocket_route, k_ws_method, key, status,
                                        std::move(error_code), usage, started);
    r.model = model_field(body).value_or("");
    r.streamed = true;
    r.body = body;
    ctx_.on_request(r);
  }

  api_context& ctx_;
  http::websocket& ws_;
  const http::request& upgrade_;
  rt::send_stream<std::string> tx_;
  rt::receive_stream<std::string> rx_;
  rt::task_group* tg_ = nullptr;
  std::map<std::string, rt::task_handle<void>> running_;
  std::optional<rt::task_handle<void>> status_watch_;
};

}  // namespace

std::optional<http::response> websocket_gate(const api_context& ctx, const http::request& upgrade) {
  try {
    authorize(ctx.auth, upgrade, route_access::inference,
              [] { return std::optional<std::string>(); });
  } catch (const api_error& e) {
    return api_error_response(e);
  }
  return std::nullopt;
}

rt::task<void> run_websocket_session(api_context& ctx, http::websocket& ws,
                                     const http::request& upgrade) {
  session s(ctx, ws, upgrade);
  co_await s.run();
}

}  // namespace hf::api
