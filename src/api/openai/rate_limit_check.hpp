// A keyed request against its key's --rpm/--tpm budgets (auth/rate_limit_store.hpp: this
// process's or shared through Redis), answered as OpenAI does: every response to a limited key
// carries x-ratelimit-{limit,remaining,reset}-{requests,tokens}; a request over a budget is
// refused with 429 (code rate_limit_exceeded) and a Retry-After header in whole seconds; a shared
// store that cannot be reached by a server that fails closed gives 503 with Retry-After.
//   net::http::header_list h;  co_await admit_request(store, key, h);  // throws api_error 429
//   ... respond with h ...;     charge_request(store, key, used_tokens);
#pragma once
#include <cstddef>

#include "auth/key_store.hpp"
#include "auth/rate_limit_store.hpp"
#include "net/http/headers.hpp"
#include "runtime/task.hpp"

namespace hf::api {

// Appends the x-ratelimit-* headers (and Retry-After when refused) to `headers`; throws the 429
// api_error when the key is over a budget. A key with no limits adds nothing.
rt::task<void> admit_request(auth::rate_limit_store& limits, const auth::key_record& key,
                             net::http::header_list& headers);

void charge_request(auth::rate_limit_store& limits, const auth::key_record& key,
                    std::size_t tokens);

}  // namespace hf::api
