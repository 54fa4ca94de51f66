#include "auth/redis_rate_store.hpp"

#include <charconv>

#include "runtime/cancel_scope.hpp"
#include "runtime/errors.hpp"
#include "runtime/sleep.hpp"

namespace hf::auth {
namespace {

// KEYS[1], KEYS[2]: the key's request and token buckets (hashes: l = level, t = Redis time in ms).
// ARGV[1]: "admit" or "charge"; ARGV[2], ARGV[3]: rpm and tpm (0: no such limit); ARGV[4]:
// tokens to charge. A missing bucket is full. Each bucket expires once it would be full again,
// so idle keys leave nothing behind. The rule is rate_limiter's (judge()): one request in the
// request bucket and a positive token balance. Replies {verdict, request level, token level},
// verdict 0 allowed, 1 over requests, 2 over tokens; levels as exact decimal strings.
constexpr const char* k_script = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function load(k, cap)
  local v = redis.call('HMGET', k, 'l', 't')
  if not v[1] then return cap end
  local elapsed = now - tonumber(v[2])
  if elapsed < 0 then elapsed = 0 end
  local l = tonumber(v[1]) + elapsed * cap / 60000
  if l > cap then l = cap end
  return l
end
local function save(k, l, cap)
  redis.call('HSET', k, 'l', string.format('%.17g', l), 't', now)
  redis.call('PEXPIRE', k, math.ceil((cap - l) * 60000 / cap) + 1000)
end
local rpm = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
if ARGV[1] == 'charge' then
  if tpm > 0 then save(KEYS[2], load(KEYS[2], tpm) - tonumber(ARGV[4]), tpm) end
  return {0, '0', '0'}
end
local r = 0
local k = 0
if rpm > 0 then r = load(KEYS[1], rpm) end
if tpm > 0 then k = load(KEYS[2], tpm) end
local verdict = 0
if rpm > 0 and r < 1 then verdict = 1 elseif tpm > 0 and k <= 0 then verdict = 2 end
if verdict == 0 and rpm > 0 then r = r - 1 end
if rpm > 0 then save(KEYS[1], r, rpm) end
if tpm > 0 then save(KEYS[2], k, tpm) end
return {verdict, string.format('%.17g', r), string.format('%.17g', k)}
)lua";

constexpr std::size_t k_max_pending_charges = 4096;

double parse_level(const redis_reply& r) {
  double v = 0;
  const auto [end, ec] = std::from_chars(r.text.data(), r.text.data() + r.text.size(), v);
  if (r.type != redis_reply::kind::string || ec != std::errc() ||
      end != r.text.data() + r.text.size()) {
    throw redis_error("unexpected bucket level from the rate-limit script: '" + r.text + "'");
  }
  return v;
}

admission_verdict parse_verdict(const redis_reply& r) {
  if (r.type != redis_reply::kind::integer || r.integer < 0 || r.integer > 2) {
    throw redis_error("unexpected verdict from the rate-limit script");
  }
  return static_cast<admission_verdict>(r.integer);
}

std::string limit_arg(const std::optional<std::int64_t>& v) {
  return std::to_string(v.value_or(0));
}

// Arguments are built as named values before each co_await: GCC 12 mis-copies braced
// temporaries that live across one.
rt::task<std::string> load_script(redis_connection& conn) {
  const std::vector<std::string> argv = {"SCRIPT", "LOAD", k_script};
  const redis_reply loaded = co_await conn.command(argv);
  if (loaded.type != redis_reply::kind::string) throw redis_error("SCRIPT LOAD: " + loaded.text);
  co_return loaded.text;
}

std::string address_text(const redis_address& a) {
  return "redis://" + a.host + ":" + std::to_string(a.port);
}

}  // namespace

redis_rate_store::redis_rate_store(redis_store_options options)
    : options_(std::move(options)), detail_(address_text(options_.address)) {
  auto [tx, rx] = rt::create_memory_object_stream<pending_charge>(k_max_pending_charges);
  charges_tx_ = std::move(tx);
  charges_rx_ = std::move(rx);
}

void redis_rate_store::mark(bool shared, const std::string& detail) {
  const bool changed = !tried_ || shared != shared_;
  tried_ = true;
  shared_ = shared;
  detail_ = detail;
  if (changed && options_.on_change) options_.on_change(shared, detail);
}

rt::task<redis_reply> redis_rate_store::evaluate(const std::vector<std::string>& keys_and_args) {
  std::vector<std::string> argv = {"EVALSHA", script_sha_, "2"};
  argv.insert(argv.end(), keys_and_args.begin(), keys_and_args.end());
  redis_reply reply = co_await conn_->command(argv);
  if (reply.type == redis_reply::kind::error && reply.text.starts_with("NOSCRIPT")) {
    // Redis restarted or flushed its scripts: load it again and retry once.
    script_sha_ = co_await load_script(*conn_);
    argv[1] = script_sha_;
    reply = co_await conn_->command(argv);
  }
  if (reply.type == redis_reply::kind::error) throw redis_error(reply.text);
  co_return reply;
}

rt::task<std::optional<redis_reply>> redis_rate_store::run_script(const std::string& key,
                                                                  std::vector<std::string> args) {
  auto held = co_await lock_.scoped();
  if (!conn_ && rt::current_time() < next_attempt_) co_return std::nullopt;
  std::vector<std::string> keys_and_args = {options_.key_prefix + key + ":r",
                                            options_.key_prefix + key + ":t"};
  keys_and_args.insert(keys_and_args.end(), args.begin(), args.end());
  try {
    redis_reply reply = co_await rt::fail_after(
        options_.timeout,
        [&]() -> rt::task<redis_reply> {
          if (!conn_) {
            conn_.emplace(co_await redis_connection::connect(options_.address));
            script_sha_ = co_await load_script(*conn_);
          }
          co_return co_await evaluate(keys_and_args);
        },
        "Redis did not answer in time");
    if (!shared_) mark(true, address_text(options_.address));
    co_return reply;
  } catch (const rt::cancelled&) {
    conn_.reset();  // a reply may still be on its way: this connection is out of step
    throw;
  } catch (const std::exception& e) {
    conn_.reset();
    next_attempt_ = rt::current_time() + options_.retry_every;
    if (shared_ || !tried_ || detail_ != e.what()) mark(false, e.what());
  }
  co_return std::nullopt;
}

rt::task<admission> redis_rate_store::admit(const std::string& key, const key_limits& limits) {
  if (!limits.any()) co_return admission{};
  std::vector<std::string> args = {"admit", limit_arg(limits.rpm), limit_arg(limits.tpm), "0"};
  const auto reply = co_await run_script(key, std::move(args));
  if (reply && reply->type == redis_reply::kind::array && reply->elements.size() == 3) {
    co_return make_admission(limits, parse_verdict(reply->elements[0]),
                             parse_level(reply->elements[1]), parse_level(reply->elements[2]));
  }
  if (options_.fail_closed) {
    admission refused;
    refused.allowed = false;
    refused.unavailable = true;
    refused.retry_after = options_.retry_every;
    co_return refused;
  }
  co_return local_.admit(key, limits, rt::current_time());
}

void redis_rate_store::charge(const std::string& key, const key_limits& limits,
                              std::int64_t tokens) {
  if (!limits.tpm || tokens <= 0) return;
  if (shared_) {
    try {
      charges_tx_.send_nowait(pending_charge{key, limits, tokens});
      return;
    } catch (const rt::would_block&) {  // a backlog: this process keeps the charge
    } catch (const rt::closed_resource_error&) {
    }
  }
  local_.charge_tokens(key, limits, tokens, rt::current_time());
}

rt::task<void> redis_rate_store::run() {
  while (auto c = co_await charges_rx_.receive_or_end()) {
    std::vector<std::string> args = {"charge", limit_arg(c->limits.rpm), limit_arg(c->limits.tpm),
                                     std::to_string(c->tokens)};
    const auto reply = co_await run_script(c->key, std::move(args));
    if (!reply) local_.charge_tokens(c->key, c->limits, c->tokens, rt::current_time());
  }
}

rate_store_status redis_rate_store::status() const {
  return {.store = "redis", .shared = shared_, .degraded = tried_ && !shared_, .detail = detail_};
}

}  // namespace hf::auth
