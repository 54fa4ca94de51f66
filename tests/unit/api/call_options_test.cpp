// call_options_from: X-Request-Timeout shortens the server's timeout (never lengthens it),
// X-Priority is an integer, and a malformed value of either is a 400 naming the header.
#include "api/openai/call_options.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "api/openai/api_error.hpp"

namespace hf::api {
namespace {

using namespace std::chrono_literals;

const rt::time_point t0 = rt::time_point{} + 1000s;

// The param of the 400 that the headers give, "" when they are accepted.
std::string rejected(std::optional<std::string_view> timeout,
                     std::optional<std::string_view> priority) {
  try {
    call_options_from(timeout, priority, 600s, t0);
  } catch (const api_error& e) {
    EXPECT_EQ(e.status(), 400) << e.what();
    return e.param().value_or("?");
  }
  return "";
}

TEST(call_options, without_headers_the_server_timeout_bounds_the_call_and_no_priority_is_set) {
  const call_options call = call_options_from(std::nullopt, std::nullopt, 600s, t0);
  EXPECT_EQ(call.deadline, t0 + 600s);
  EXPECT_FALSE(call.priority.has_value());
}

TEST(call_options, a_shorter_request_timeout_applies_and_a_longer_one_is_capped) {
  EXPECT_EQ(call_options_from("2.5", std::nullopt, 600s, t0).deadline, t0 + 2500ms);
  EXPECT_EQ(call_options_from(" 30 ", std::nullopt, 600s, t0).deadline, t0 + 30s);
  EXPECT_EQ(call_options_from("3600", std::nullopt, 600s, t0).deadline, t0 + 600s);
  EXPECT_EQ(call_options_from("1e300", std::nullopt, 600s, t0).deadline, t0 + 600s);
}

TEST(call_options, a_server_timeout_too_large_to_add_means_no_deadline) {
  EXPECT_EQ(call_options_from(std::nullopt, std::nullopt, rt::duration::max(), t0).deadline,
            rt::no_deadline);
}

TEST(call_options, priority_header_is_an_integer_of_either_sign) {
  EXPECT_EQ(call_options_from(std::nullopt, "10", 600s, t0).priority, 10);
  EXPECT_EQ(call_options_from(std::nullopt, "-3", 600s, t0).priority, -3);
}

TEST(call_options, malformed_headers_are_a_400_naming_the_header) {
  for (const char* bad : {"", "0", "-1", "abc", "1.5s", "2 3", "nan", "inf"}) {
    EXPECT_EQ(rejected(bad, std::nullopt), "X-Request-Timeout") << bad;
  }
  for (const char* bad : {"", "high", "1.5", "99999999999", "5x"}) {
    EXPECT_EQ(rejected(std::nullopt, bad), "X-Priority") << bad;
  }
  EXPECT_EQ(rejected("1", "7"), "");
}

}  // namespace
}  // namespace hf::api
