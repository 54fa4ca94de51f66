#include "app/bench/bench_run.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

#include "net/http/client.hpp"
#include "runtime/cancel_scope.hpp"
#include "runtime/errors.hpp"
#include "runtime/run.hpp"
#include "runtime/sleep.hpp"
#include "runtime/task_group.hpp"

namespace hf::app {
namespace {

using headers_t = std::vector<std::pair<std::string, std::string>>;

// A passage to tokenize; repeated until it has enough tokens, then cut to the prompt length.
constexpr const char* k_passage =
    "The history of the city begins with a small settlement by the river, where traders met to "
    "exchange grain, salt and cloth. Over the centuries the market grew into a town, the town "
    "built walls and a bridge, and the bridge brought travellers from every direction. ";

struct sample {
  std::string error;  // empty: a 200 answer
  std::optional<double> ttft_s;
  double latency_s = 0;
  std::size_t tokens = 0;
};

headers_t request_headers(const bench_options& o) {
  headers_t h = {{"Content-Type", "application/json"}};
  if (!o.api_key.empty()) h.emplace_back("Authorization", "Bearer " + o.api_key);
  return h;
}

double seconds_since(rt::time_point t0) {
  return std::chrono::duration<double>(rt::current_time() - t0).count();
}

// The prompt: exactly o.prompt_tokens ids of the model's own tokenizer (POST /tokenize).
rt::task<std::vector<int>> prompt_ids(const bench_options& o) {
  net::http::client_connection c = co_await net::http::client_connection::connect(o.host, o.port);
  std::string text = k_passage;
  for (;;) {
    std::string body = nlohmann::json{{"model", o.model}, {"prompt", text}}.dump();
    net::http::client_response r =
        co_await c.request("POST", "/tokenize", request_headers(o), std::move(body));
    if (r.status != 200) {
      throw std::runtime_error("POST /tokenize for model '" + o.model + "' answered " +
                               std::to_string(r.status) + ": " + r.body.substr(0, 300));
    }
    std::vector<int> ids = nlohmann::json::parse(r.body).at("tokens").get<std::vector<int>>();
    if (ids.size() >= o.prompt_tokens) {
      ids.resize(o.prompt_tokens);
      co_return ids;
    }
    if (ids.empty()) throw std::runtime_error("the model's tokenizer gave no tokens");
    text += text;
  }
}

// Reads server-sent events as the body arrives: the time of the first text, the tokens the
// usage chunk reports (else the text events), and an error event's code.
class sse_reader {
 public:
  explicit sse_reader(rt::time_point start) : start_(start) {}
  void feed(std::string_view more) {
    pending_ += more;
    for (std::size_t cut; (cut = pending_.find("\n\n")) != std::string::npos;) {
      const std::string event = pending_.substr(0, cut);
      pending_.erase(0, cut + 2);
      if (!event.starts_with("data: ")) continue;
      const std::string_view data = std::string_view(event).substr(6);
      if (data == "[DONE]") continue;
      const nlohmann::json chunk = nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
      if (chunk.is_discarded()) continue;
      if (chunk.contains("error")) {
        const auto& e = chunk["error"];
        error =
            "stream:" + (e.contains("code") && e["code"].is_string() ? e["code"].get<std::string>()
                                                                     : std::string("error"));
      }
      if (chunk.contains("usage") && chunk["usage"].is_object()) {
        usage_tokens = chunk["usage"].value("completion_tokens", std::size_t{0});
      }
      if (chunk.contains("choices") && !chunk["choices"].empty()) {
        const auto& c = chunk["choices"][0];
        if (c.contains("text") && c["text"].is_string() &&
            !c["text"].get_ref<const std::string&>().empty()) {
          ++text_events;
          if (!ttft_s) ttft_s = seconds_since(start_);
        }
      }
    }
  }
  std::optional<double> ttft_s;
  std::optional<std::size_t> usage_tokens;
  std::size_t text_events = 0;
  std::string error;

 private:
  rt::time_point start_;
  std::string pending_;
};

rt::task<sample> one_request(net::http::client_connection& c, const bench_options& o,
                             const std::string& body) {
  sample s;
  const rt::time_point start = rt::current_time();
  sse_reader sse(start);
  std::function<void(std::string_view)> on_body;
  if (o.stream) on_body = [&sse](std::string_view more) { sse.feed(more); };
  net::http::client_response r =
      co_await c.request("POST", "/v1/completions", request_headers(o), body, on_body);
  s.latency_s = seconds_since(start);
  if (r.status != 200) {
    s.error = std::to_string(r.status);
    co_return s;
  }
  if (o.stream) {
    s.error = sse.error;
    s.ttft_s = sse.ttft_s;
    s.tokens = sse.usage_tokens.value_or(sse.text_events);
  } else {
    const auto j = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.contains("usage")) {
      s.error = "bad_json";
    } else {
      s.tokens = j["usage"].value("completion_tokens", std::size_t{0});
    }
  }
  co_return s;
}

// One client: takes requests from the shared counter until the level's count is reached.
rt::task<void> client_loop(const bench_options& o, const std::string& body, std::size_t& next,
                           std::vector<sample>& out) {
  std::unique_ptr<net::http::client_connection> conn;
  while (next < o.requests) {
    ++next;
    sample s;
    try {
      if (!conn) {
        conn = std::make_unique<net::http::client_connection>(
            co_await net::http::client_connection::connect(o.host, o.port));
      }
      net::http::client_connection* c = conn.get();
      s = co_await rt::fail_after(
          o.timeout, [&]() -> rt::task<sample> { co_return co_await one_request(*c, o, body); });
    } catch (const rt::timeout_error&) {
      s.error = "timeout";
      conn.reset();
    } catch (const std::exception&) {  // connection refused or broken, bad response
      s.error = "conn_error";
      conn.reset();
    }
    out.push_back(std::move(s));
  }
}

latency_stats stats_ms(const std::vector<double>& seconds) {
  std::vector<double> ms;
  ms.reserve(seconds.size());
  for (double s : seconds) ms.push_back(s * 1e3);
  return {nearest_rank(ms, 50), nearest_rank(ms, 90), nearest_rank(ms, 99)};
}

level_result summarize(std::size_t clients, const std::vector<sample>& samples, double wall) {
  level_result r;
  r.clients = clients;
  r.requests = samples.size();
  r.wall_s = wall;
  std::vector<double> ttft, tpot, latency;
  for (const sample& s : samples) {
    if (!s.error.empty()) {
      ++r.errors[s.error];
      continue;
    }
    ++r.ok;
    r.output_tokens += s.tokens;
    latency.push_back(s.latency_s);
    if (s.ttft_s) {
      ttft.push_back(*s.ttft_s);
      if (s.tokens > 1)
        tpot.push_back((s.latency_s - *s.ttft_s) / static_cast<double>(s.tokens - 1));
    }
  }
  r.output_tokens_per_s = wall > 0 ? static_cast<double>(r.output_tokens) / wall : 0;
  r.requests_per_s = wall > 0 ? static_cast<double>(r.ok) / wall : 0;
  r.ttft = stats_ms(ttft);
  r.tpot = stats_ms(tpot);
  r.latency = stats_ms(latency);
  return r;
}

}  // namespace

std::optional<double> nearest_rank(std::vector<double> values, double p) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const auto rank =
      static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

std::vector<level_result> run_bench(const bench_options& o,
                                    const std::function<void(const level_result&)>& on_level) {
  std::vector<level_result> results;
  rt::run([&]() -> rt::task<void> {
    const std::vector<int> ids = co_await prompt_ids(o);
    nlohmann::json request = {{"model", o.model},           {"prompt", ids},
                              {"max_tokens", o.max_tokens}, {"temperature", o.temperature},
                              {"ignore_eos", true},         {"stream", o.stream}};
    if (o.stream) request["stream_options"] = {{"include_usage", true}};
    const std::string body = request.dump();
    for (std::size_t clients : o.levels) {
      std::size_t next = 0;
      std::vector<sample> samples;
      const rt::time_point start = rt::current_time();
      co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
        for (std::size_t i = 0; i < clients; ++i)
          tg.start_soon(client_loop(o, body, next, samples));
        co_return;
      });
      results.push_back(summarize(clients, samples, seconds_since(start)));
      if (on_level) on_level(results.back());
    }
  });
  return results;
}

}  // namespace hf::app
