// Internal: reading from a client that may leave at any moment. A client that closes its side
// (end_of_stream) or resets the connection (broken_resource_error), and a socket this server
// has closed itself (closed_resource_error), end that connection and are never errors of the
// server; this is the one place that catches them and turns them into a value.
//   peer_loss loss = co_await unless_peer_gone([&]() -> rt::task<void> { co_await serve(); });
//   if (!co_await receive_into(sock, in, 4096)) co_return;  // the client has gone
#pragma once
#include <cstddef>

#include "net/http/byte_buffer.hpp"
#include "runtime/errors.hpp"
#include "runtime/net/tcp.hpp"
#include "runtime/task.hpp"

namespace hf::net::http::detail {

enum class peer_loss {
  none,           // the body finished
  end_of_stream,  // the client closed its side
  reset,          // the client reset the connection, or a write found it gone
  closed_here,    // this server closed the socket (e.g. shutting down)
};

// Awaits body(); how the peer was lost if one of those errors ended it. Anything else, cancelled
// included, propagates. `body` is kept alive by this coroutine until it finishes.
template <class Body>
rt::task<peer_loss> unless_peer_gone(Body body) {
  try {
    co_await body();
  } catch (const rt::end_of_stream&) {
    co_return peer_loss::end_of_stream;
  } catch (const rt::broken_resource_error&) {
    co_return peer_loss::reset;
  } catch (const rt::closed_resource_error&) {
    co_return peer_loss::closed_here;
  }
  co_return peer_loss::none;
}

// Appends what arrives next (at least one byte; room for at least `min_free`) to `in`. False,
// with nothing appended, when the client has gone.
inline rt::task<bool> receive_into(rt::tcp_stream& sock, byte_buffer& in, std::size_t min_free) {
  peer_loss loss = co_await unless_peer_gone(
      [&]() -> rt::task<void> { in.commit(co_await sock.receive(in.prepare(min_free))); });
  co_return loss == peer_loss::none;
}

}  // namespace hf::net::http::detail
