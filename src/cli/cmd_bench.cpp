// `hfserve bench --url URL --model ID [-c 1,4,16] [-n 64] [--prompt-tokens 128] [--max-tokens 64]
// [--stream] [--json]`: a load generator for a running server (app/bench/bench_run.hpp). Prints
// one table row per concurrency level (aggregate output tokens/s, TTFT, TPOT and latency
// p50/p90/p99, errors by status), or with --json one object per level.
#include <cstdint>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "app/bench/bench_run.hpp"
#include "cli/commands.hpp"

namespace hf::cli {
namespace {

struct bench_cli {
  std::string url = "http://127.0.0.1:8000";
  std::string concurrency = "1,4,16";
  double timeout_s = 120;
  bool json = false;
  app::bench_options o;
};

struct url_parts {
  std::string host;
  std::uint16_t port = 80;
};

// "http://HOST[:PORT][/]" (the server's base URL; https is not spoken here).
url_parts parse_http_url(std::string_view url) {
  constexpr std::string_view scheme = "http://";
  if (!url.starts_with(scheme)) {
    throw std::invalid_argument("--url: '" + std::string(url) + "' is not an http:// URL");
  }
  std::string_view rest = url.substr(scheme.size());
  rest = rest.substr(0, rest.find('/'));
  url_parts u;
  const std::size_t colon = rest.rfind(':');
  u.host = std::string(rest.substr(0, colon));
  if (colon != std::string_view::npos) {
    const std::string port(rest.substr(colon + 1));
    std::size_t used = 0;
    const unsigned long n = port.empty() ? 0 : std::stoul(port, &used);
    if (used != port.size() || n == 0 || n > 65535) {
      throw std::invalid_argument("--url: '" + port + "' is not a port");
    }
    u.port = static_cast<std::uint16_t>(n);
  }
  if (u.host.empty()) throw std::invalid_argument("--url: no host in '" + std::string(url) + "'");
  return u;
}

// "1,4,16" -> {1, 4, 16}: positive counts.
std::vector<std::size_t> parse_count_list(const std::string& list) {
  std::vector<std::size_t> out;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    std::size_t used = 0;
    const unsigned long n = item.empty() ? 0 : std::stoul(item, &used);
    if (used != item.size() || n == 0) {
      throw std::invalid_argument("-c: '" + item + "' is not a positive count");
    }
    out.push_back(n);
  }
  if (out.empty()) throw std::invalid_argument("-c: no concurrency given");
  return out;
}

std::string ms(const std::optional<double>& v) {
  if (!v) return "–";
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(*v < 10 ? 1 : 0);
  s << *v;
  return s.str();
}

std::string three(const app::latency_stats& l) {
  return ms(l.p50) + " / " + ms(l.p90) + " / " + ms(l.p99);
}

std::string errors_text(const std::map<std::string, std::size_t>& errors) {
  if (errors.empty()) return "–";
  std::string out;
  for (const auto& [k, v] : errors) out += (out.empty() ? "" : ", ") + k + ": " + std::to_string(v);
  return out;
}

nlohmann::json stats_json(const app::latency_stats& l) {
  auto v = [](const std::optional<double>& x) { return x ? nlohmann::json(*x) : nlohmann::json(); };
  return {{"p50", v(l.p50)}, {"p90", v(l.p90)}, {"p99", v(l.p99)}};
}

void print_level(const app::level_result& r, const bench_cli& c) {
  if (c.json) {
    nlohmann::json j = {{"bench", "serve"},
                        {"model", c.o.model},
                        {"clients", r.clients},
                        {"requests", r.requests},
                        {"ok", r.ok},
                        {"errors", r.errors},
                        {"wall_s", r.wall_s},
                        {"output_tokens", r.output_tokens},
                        {"output_tokens_per_s", r.output_tokens_per_s},
                        {"requests_per_s", r.requests_per_s},
                        {"ttft_ms", stats_json(r.ttft)},
                        {"tpot_ms", stats_json(r.tpot)},
                        {"latency_ms", stats_json(r.latency)}};
    std::cout << j.dump() << std::endl;
    return;
  }
  std::ostringstream tps;
  tps.setf(std::ios::fixed);
  tps.precision(1);
  tps << r.output_tokens_per_s;
  std::cout << "| " << r.clients << " | " << r.requests << " | " << r.ok << " | "
            << errors_text(r.errors) << " | " << tps.str() << " | " << three(r.ttft) << " | "
            << three(r.tpot) << " | " << three(r.latency) << " |" << std::endl;
}

void print_header(const bench_cli& c) {
  if (c.json) return;
  std::cout << "hfserve bench: " << c.url << ", model " << c.o.model << ", " << c.o.requests
            << " requests per level, prompt " << c.o.prompt_tokens << " tokens, " << c.o.max_tokens
            << " output tokens (ignore_eos), " << (c.o.stream ? "streaming" : "not streaming")
            << "\n\n"
            << "| clients | requests | ok | errors | output tok/s "
            << "| TTFT ms p50 / p90 / p99 | TPOT ms p50 / p90 / p99 "
            << "| latency ms p50 / p90 / p99 |\n|---|---|---|---|---|---|---|---|" << std::endl;
}

int run(bench_cli& c) {
  try {
    const url_parts u = parse_http_url(c.url);
    c.o.host = u.host;
    c.o.port = u.port;
    c.o.levels = parse_count_list(c.concurrency);
    c.o.timeout = std::chrono::milliseconds(static_cast<long long>(c.timeout_s * 1000));
    bool failed = false;
    bool first = true;
    app::run_bench(c.o, [&](const app::level_result& r) {
      // The header once the server has answered (a wrong URL or model prints only the error).
      if (std::exchange(first, false)) print_header(c);
      print_level(r, c);
      failed = failed || r.ok < r.requests;
    });
    return failed ? 3 : 0;  // 3: some requests failed (the figures are still printed)
  } catch (const std::exception& e) {
    std::cerr << "hfserve bench: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

void register_bench_command(CLI::App& app) {
  auto c = std::make_shared<bench_cli>();
  auto* cmd = app.add_subcommand(
      "bench", "Load-test a running server: tokens/s, TTFT, TPOT and latency per concurrency");
  cmd->add_option("--url", c->url, "Server base URL (http://HOST:PORT)")->capture_default_str();
  cmd->add_option("--model", c->o.model, "Model id to send the completions to")->required();
  cmd->add_option("-c,--concurrency", c->concurrency, "Concurrent clients per level, e.g. 1,4,16")
      ->capture_default_str();
  cmd->add_option("-n,--requests", c->o.requests, "Requests per level")->capture_default_str();
  cmd->add_option("--prompt-tokens", c->o.prompt_tokens, "Prompt length in the model's tokens")
      ->capture_default_str();
  cmd->add_option("--max-tokens", c->o.max_tokens, "Tokens generated per request (ignore_eos)")
      ->capture_default_str();
  cmd->add_option("--temperature", c->o.temperature, "Sampling temperature")->capture_default_str();
  cmd->add_flag("--stream", c->o.stream, "Stream (SSE): needed for TTFT and TPOT");
  cmd->add_option("--api-key", c->o.api_key, "Bearer key (default: $HFSERVE_API_KEY)")
      ->envname("HFSERVE_API_KEY");
  cmd->add_option("--timeout", c->timeout_s, "Seconds one request may take (then: timeout)")
      ->capture_default_str();
  cmd->add_flag("--json", c->json, "One JSON object per level instead of the table");
  cmd->callback([c] { set_exit_code(run(*c)); });
}

}  // namespace hf::cli
