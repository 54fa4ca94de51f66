// What one call's headers and the server's settings say about how its work is queued: the
// deadline that bounds its queueing AND execution, and a priority for bodies that give none.
//   call_options call = call_options_from(req.header("x-request-timeout"),
//                                         req.header("x-priority"), ctx.request_timeout, started);
//   generation_flow flow(scheduler, prompts, options, call.deadline);
#pragma once
#include <optional>
#include <string_view>

#include "runtime/clock.hpp"

namespace hf::api {

struct call_options {
  rt::time_point deadline = rt::no_deadline;  // queued and running work must be done by then
  std::optional<int> priority;                // X-Priority: higher runs first (the body's wins)
};

// X-Request-Timeout: SECONDS (a positive decimal) shortens the server's --request-timeout for
// this call; a longer value is capped by it, so a client cannot hold capacity longer than the
// operator allows. X-Priority: an integer, like the body's `priority`. A malformed value of
// either is a 400 naming the header (api_error), never silently ignored.
call_options call_options_from(std::optional<std::string_view> timeout_header,
                               std::optional<std::string_view> priority_header,
                               rt::duration server_timeout, rt::time_point started);

}  // namespace hf::api
