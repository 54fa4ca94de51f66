// Sending generation events to a requester that may have gone away. A requester leaves by
// closing its receive stream (a client that disconnected); that is never a scheduler error, only
// a sign to stop working for it, so the broken stream is caught here and nowhere else.
//   if (!send_or_drop(out, std::move(ev))) stop_generating();
//   send_failure(q.out, std::make_exception_ptr(serving_error(error_kind::timeout, "...")));
#pragma once
#include <exception>
#include <optional>
#include <utility>

#include "runtime/errors.hpp"
#include "runtime/streams/memory_stream.hpp"
#include "serving/generation/types.hpp"

namespace hf::serving {

// Loop thread. False when the requester has gone (the event is dropped).
inline bool send_or_drop(rt::send_stream<generation_event>& out, generation_event ev) {
  try {
    out.send_nowait(std::move(ev));
    return true;
  } catch (const rt::broken_resource_error&) {
    return false;
  }
}

// Loop thread: a `failed` event carrying `error` (a serving_error), dropped if nobody listens.
// queue_wait: when this is the sequence's first event (generation_event::queue_wait).
inline void send_failure(rt::send_stream<generation_event>& out, std::exception_ptr error,
                         std::optional<rt::duration> queue_wait = std::nullopt) {
  generation_event ev;
  ev.type = generation_event::kind::failed;
  ev.error = std::move(error);
  ev.queue_wait = queue_wait;
  send_or_drop(out, std::move(ev));
}

}  // namespace hf::serving
