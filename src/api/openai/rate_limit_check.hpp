// A keyed request against its key's --rpm/--tpm budgets (auth/rate_limiter.hpp), answered as
// OpenAI does: every response to a limited key carries x-ratelimit-{limit,remaining,reset}-
// {requests,tokens}; a request over a budget is refused with 429 (code rate_limit_exceeded) and a
// Retry-After header in whole seconds.
//   net::http::header_list h;  admit_request(limits, key, now, h);  // throws api_error 429
//   ... respond with h ...;     charge_request(limits, key, used_tokens, now);
#pragma once
#include <cstddef>

#include "auth/key_store.hpp"
#include "auth/rate_limiter.hpp"
#include "net/http/headers.hpp"

namespace hf::api {

// Appends the x-ratelimit-* headers (and Retry-After when refused) to `headers`; throws the 429
// api_error when the key is over a budget. A key with no limits adds nothing.
void admit_request(auth::rate_limiter& limits, const auth::key_record& key,
                   auth::limiter_clock::time_point now, net::http::header_list& headers);

void charge_request(auth::rate_limiter& limits, const auth::key_record& key, std::size_t tokens,
                    auth::limiter_clock::time_point now);

}  // namespace hf::api
