// TCP on every backend: echo, half-close, large transfers, cancellation of a blocked receive (no
// bytes lost), end of stream and resets, close while parked, busy streams, refused connections,
// port 0 and IPv6.
#include "runtime/net/tcp.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <numeric>
#include <random>

#include "conformance/harness.hpp"

namespace hf::rt::testing {
namespace {

class tcp_test : public conformance {};

std::span<const std::byte> bytes_of(const std::string& s) { return std::as_bytes(std::span(s)); }

// Reads until end_of_stream; returns everything received.
task<std::string> read_to_end(tcp_stream& s) {
  std::string out;
  std::byte buf[4096];
  try {
    for (;;) {
      std::size_t n = co_await s.receive(buf);
      EXPECT_GT(n, 0u);
      out.append(reinterpret_cast<const char*>(buf), n);
    }
  } catch (const end_of_stream&) {
  }
  co_return out;
}

// Echoes one connection until the peer's EOF, then half-closes.
task<void> echo_once(tcp_listener& l) {
  tcp_stream conn = co_await l.accept();
  std::byte buf[16384];
  try {
    for (;;) {
      std::size_t n = co_await conn.receive(buf);
      co_await conn.send_all(std::span<const std::byte>(buf, n));
    }
  } catch (const end_of_stream&) {
  }
  co_await conn.send_eof();
}

TEST_P(tcp_test, echo_on_port_zero) {
  run_real([]() -> task<void> {
    tcp_listener l = tcp_listener::bind("127.0.0.1", 0);
    EXPECT_NE(l.local_port(), 0);
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon(echo_once(l));
      tcp_stream c = co_await tcp_connect("127.0.0.1", l.local_port());
      EXPECT_EQ(c.remote_port(), l.local_port());
      co_await c.send_all(std::string_view("hello"));
      std::byte buf[16];
      std::size_t got = 0;
      while (got < 5) got += co_await c.receive(std::span(buf).subspan(got));
      EXPECT_EQ(std::string(reinterpret_cast<const char*>(buf), got), "hello");
      co_await c.send_eof();
      EXPECT_EQ(co_await read_to_end(c), "");
    });
  });
}

TEST_P(tcp_test, half_close_lets_the_peer_answer) {
  run_real([]() -> task<void> {
    tcp_listener l = tcp_listener::bind("127.0.0.1", 0);
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        tcp_stream conn = co_await l.accept();
        std::string request = co_await read_to_end(conn);  // ends at the client's send_eof
        co_await conn.send_all("got " + std::to_string(request.size()) + " bytes");
        conn.close();
      });
      tcp_stream c = co_await tcp_connect("127.0.0.1", l.local_port());
      co_await c.send_all(std::string_view("twelve bytes"));
      co_await c.send_eof();
      EXPECT_THROW(co_await c.send_all(std::string_view("more")), closed_resource_error);
      EXPECT_EQ(co_await read_to_end(c), "got 12 bytes");
      // The end of the stream is sticky.
      std::byte b[1];
      EXPECT_THROW(co_await c.receive(b), end_of_stream);
    });
  });
}

TEST_P(tcp_test, large_transfer_both_ways) {
  run_real([]() -> task<void> {
    std::string payload(8 << 20, '\0');
    std::mt19937 rng(7);
    for (auto& ch : payload) ch = static_cast<char>(rng());
    tcp_listener l = tcp_listener::bind("127.0.0.1", 0);
    std::string echoed;
    tcp_stream c;  // outlives the group: the reader child uses it after the host body ends
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon(echo_once(l));
      c = co_await tcp_connect("127.0.0.1", l.local_port());
      tg.start_soon([&]() -> task<void> { echoed = co_await read_to_end(c); });
      co_await c.send_all(bytes_of(payload));
      co_await c.send_eof();
    });
    EXPECT_EQ(echoed.size(), payload.size());
    EXPECT_TRUE(echoed == payload);
  });
}

TEST_P(tcp_test, cancelled_receive_loses_no_bytes) {
  run_real([]() -> task<void> {
    tcp_listener l = tcp_listener::bind("127.0.0.1", 0);
    tcp_stream c = co_await tcp_connect("127.0.0.1", l.local_port());
    tcp_stream s = co_await l.accept();
    std::byte buf[64];
    bool after = false;
    cancel_scope sc;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await sc.run([&]() -> task<void> {
          co_await s.receive(buf);  // nothing was sent: blocks until cancelled
          after = true;
        });
      });
      co_await wait_all_tasks_blocked();
      sc.cancel();
    });
    EXPECT_TRUE(sc.cancelled_caught());
    EXPECT_FALSE(after);
    // The stream still works, and data sent now is received in full.
    co_await c.send_all(std::string_view("after cancel"));
    std::size_t n = co_await s.receive(buf);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(buf), n), "after cancel");
  });
}

TEST_P(tcp_test, receive_raced_by_cancellation_delivers_data) {
  run_real([]() -> task<void> {
    tcp_listener l = tcp_listener::bind("127.0.0.1", 0);
    tcp_stream c = co_await tcp_connect("127.0.0.1", l.local_port());
    tcp_stream s = co_await l.accept();
    std::byte buf[64];
    std::size_t got = 0;
    cancel_scope sc;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        co_await sc.run([&]() -> task<void> { got = co_await s.receive(buf); });
      });
      co_await wait_all_tasks_blocked();
      // Data arrives and the scope is cancelled in the same loop iteration: either the receive was
      // withdrawn (nothing read) or it completed (the bytes are returned); never both lost.
      co_await c.send_all(std::string_view("racy"));
      sc.cancel();
    });
    std::string rest;
    if (got == 0) {
      std::size_t n = co_await s.receive(buf);
      rest.assign(reinterpret_cast<const char*>(buf), n);
    } else {
      rest.assign(reinterpret_cast<const char*>(buf), got);
    }
    EXPECT_EQ(rest, "racy");
  });
}

TEST_P(tcp_test, peer_close_gives_end_of_stream_and_reset_gives_broken_resource) {
  run_real([]() -> task<void> {
    tcp_listener l = tcp_listener::bind("127.0.0.1", 0);
    {
      tcp_stream c = co_await tcp_connect("127.0.0.1", l.local_port());
      tcp_stream s = co_await l.accept();
      c.close();
      std::byte buf[8];
      EXPECT_THROW(co_await s.receive(buf), end_of_stream);
    }
    {
      tcp_stream c = co_await tcp_connect("127.0.0.1", l.local_port());
      tcp_stream s = co_await l.accept();
      linger lg{1, 0};  // close() sends RST
      ::setsockopt(c.native_handle(), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
      c.close();
      std::byte buf[8];
      EXPECT_THROW(co_await s.receive(buf), broken_resource_error);
    }
  });
}

TEST_P(tcp_test, close_while_receiving_raises_closed_resource) {
  run_real([]() -> task<void> {
    tcp_listener l = tcp_listener::bind("127.0.0.1", 0);
    tcp_stream c = co_await tcp_connect("127.0.0.1", l.local_port());
    tcp_stream s = co_await l.accept();
    bool raised = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        std::byte buf[8];
        try {
          co_await s.receive(buf);
        } catch (const closed_resource_error&) {
          raised = true;
        }
      });
      co_await wait_all_tasks_blocked();
      s.close();
    });
    EXPECT_TRUE(raised);
    std::byte buf[8];
    EXPECT_THROW(co_await s.receive(buf), closed_resource_error);
    EXPECT_THROW(co_await s.send_all(std::string_view("x")), closed_resource_error);
    s.close();  // idempotent
  });
}

TEST_P(tcp_test, close_while_accepting_raises_closed_resource) {
  run_real([]() -> task<void> {
    tcp_listener l = tcp_listener::bind("127.0.0.1", 0);
    bool raised = false;
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        try {
          co_await l.accept();
        } catch (const closed_resource_error&) {
          raised = true;
        }
      });
      co_await wait_all_tasks_blocked();
      l.close();
    });
    EXPECT_TRUE(raised);
  });
}

TEST_P(tcp_test, two_receivers_is_busy) {
  run_real([]() -> task<void> {
    tcp_listener l = tcp_listener::bind("127.0.0.1", 0);
    tcp_stream c = co_await tcp_connect("127.0.0.1", l.local_port());
    tcp_stream s = co_await l.accept();
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> {
        std::byte buf[8];
        co_await s.receive(buf);
      });
      co_await wait_all_tasks_blocked();
      std::byte buf[8];
      EXPECT_THROW(co_await s.receive(buf), busy_resource_error);
      co_await c.send_all(std::string_view("x"));
    });
  });
}

TEST_P(tcp_test, connect_refused_is_a_clear_error) {
  run_real([]() -> task<void> {
    std::uint16_t port;
    {
      tcp_listener l = tcp_listener::bind("127.0.0.1", 0);
      port = l.local_port();
    }
    try {
      co_await tcp_connect("127.0.0.1", port);
      ADD_FAILURE() << "expected a refused connection";
    } catch (const std::system_error& e) {
      EXPECT_EQ(e.code().value(), ECONNREFUSED);
      std::string what = e.what();
      EXPECT_NE(what.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << what;
    }
  });
}

TEST_P(tcp_test, ipv6_loopback_and_names) {
  run_real([]() -> task<void> {
    tcp_listener l;
    try {
      l = tcp_listener::bind("::1", 0);
    } catch (const std::system_error&) {
      co_return;  // no IPv6 on this machine
    }
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon(echo_once(l));
      tcp_stream c = co_await tcp_connect("::1", l.local_port());
      co_await c.send_all(std::string_view("v6"));
      co_await c.send_eof();
      EXPECT_EQ(co_await read_to_end(c), "v6");
    });
    // A name is resolved on a worker thread.
    tcp_listener l4 = tcp_listener::bind("127.0.0.1", 0);
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon(echo_once(l4));
      tcp_stream c = co_await tcp_connect("localhost", l4.local_port());
      co_await c.send_eof();
      co_await read_to_end(c);
    });
  });
}

TEST_P(tcp_test, cancelled_connect_and_accept) {
  run_real([]() -> task<void> {
    tcp_listener l = tcp_listener::bind("127.0.0.1", 0);
    auto sc = cancel_scope::move_on_after(10ms);
    co_await sc.run([&]() -> task<void> { co_await l.accept(); });
    EXPECT_TRUE(sc.cancelled_caught());
    // The listener still works after the withdrawn accept.
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon(echo_once(l));
      tcp_stream c = co_await tcp_connect("127.0.0.1", l.local_port());
      co_await c.send_eof();
      co_await read_to_end(c);
    });
  });
}

HF_CONFORMANCE_SUITE(tcp_test);

}  // namespace
}  // namespace hf::rt::testing
