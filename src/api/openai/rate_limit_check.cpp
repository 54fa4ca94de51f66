#include "api/openai/rate_limit_check.hpp"

#include <string>

#include "api/openai/api_error.hpp"

namespace hf::api {
namespace {

auth::key_limits limits_of(const auth::key_record& key) {
  return {.rpm = key.rpm, .tpm = key.tpm};
}

void add_quota(net::http::header_list& headers, const char* unit, const auth::quota& q) {
  const std::string suffix = unit;
  headers.add("x-ratelimit-limit-" + suffix, std::to_string(q.limit));
  headers.add("x-ratelimit-remaining-" + suffix, std::to_string(q.remaining));
  headers.add("x-ratelimit-reset-" + suffix, auth::reset_text(q.reset));
}

}  // namespace

rt::task<void> admit_request(auth::rate_limit_store& limits, const auth::key_record& key,
                             net::http::header_list& headers) {
  const auth::key_limits lim = limits_of(key);
  if (!lim.any()) co_return;
  const auth::admission a = co_await limits.admit(key.name, lim);
  if (a.requests) add_quota(headers, "requests", *a.requests);
  if (a.tokens) add_quota(headers, "tokens", *a.tokens);
  if (a.allowed) co_return;
  headers.add("Retry-After", retry_after_value(a.retry_after));
  if (a.unavailable) {
    throw api_error(503, "server_error",
                    "the shared rate-limit store is unreachable and this server fails closed; "
                    "retry later",
                    std::nullopt, "rate_limit_store_unavailable");
  }
  const std::string per_minute = std::string(a.exceeded) == "requests"
                                     ? std::to_string(key.rpm.value_or(0)) + " requests"
                                     : std::to_string(key.tpm.value_or(0)) + " tokens";
  throw api_error(429, "requests",
                  "rate limit reached for key '" + key.name + "': " + per_minute +
                      " per minute; retry in " + auth::reset_text(a.retry_after),
                  std::nullopt, "rate_limit_exceeded");
}

void charge_request(auth::rate_limit_store& limits, const auth::key_record& key,
                    std::size_t tokens) {
  limits.charge(key.name, limits_of(key), static_cast<std::int64_t>(tokens));
}

}  // namespace hf::api
