// TCP argument and state errors that need no peer behaviour: bind conflicts, empty buffers,
// default-constructed streams, unresolvable names.
#include "runtime/net/tcp.hpp"

#include <gtest/gtest.h>

#include "runtime/runtime.hpp"

namespace hf::rt {
namespace {

TEST(tcp_misc, binding_a_port_in_use_names_the_endpoint) {
  auto first = tcp_listener::bind("127.0.0.1", 0);
  try {
    auto second = tcp_listener::bind("127.0.0.1", first.local_port());
    FAIL() << "expected EADDRINUSE";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code().value(), EADDRINUSE);
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(first.local_port())),
              std::string::npos);
  }
}

TEST(tcp_misc, closed_and_empty_stream_errors) {
  for (const char* backend : {"epoll", "io_uring"}) {
    rt::run([]() -> task<void> {
      tcp_stream nothing;
      std::byte b[1];
      EXPECT_THROW(co_await nothing.receive(b), closed_resource_error);
      EXPECT_FALSE(nothing.is_open());
      auto l = tcp_listener::bind("127.0.0.1", 0);
      tcp_stream c = co_await tcp_connect("127.0.0.1", l.local_port());
      EXPECT_THROW(co_await c.receive(std::span<std::byte>()), argument_error);
      co_await c.send_all(std::string_view());  // nothing to send: still a checkpoint, no error
      l.close();
      EXPECT_THROW(co_await l.accept(), closed_resource_error);
    }, {.backend = backend});
  }
}

TEST(tcp_misc, unresolvable_name_is_a_system_error) {
  rt::run([]() -> task<void> {
    EXPECT_THROW(co_await tcp_connect("no-such-host.invalid", 80), std::system_error);
  });
}

}  // namespace
}  // namespace hf::rt
