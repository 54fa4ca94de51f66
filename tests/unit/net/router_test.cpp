// The route table: exact paths, one-segment and catch-all parameters (model ids with '/'),
// precedence, HEAD falling back to GET, 405 with the Allow list, and malformed patterns.
#include "net/http/router.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

namespace hf::net::http {
namespace {

struct named_slot : route_slot {
  explicit named_slot(std::string n) : name(std::move(n)) {}
  std::string name;
};

std::shared_ptr<route_slot> slot(std::string name) {
  return std::make_shared<named_slot>(std::move(name));
}
std::string name_of(const router::match_result& m) {
  return m.slot ? static_cast<const named_slot*>(m.slot)->name : "";
}

TEST(router, exact_and_parameter_routes) {
  router r;
  r.add(method::get, "/v1/models", slot("list"));
  r.add(method::get, "/v1/models/{id...}", slot("get"));
  r.add(method::delete_, "/v1/models/{id...}", slot("delete"));
  r.add(method::get, "/v1/files/{id}", slot("file"));

  auto m = r.match(method::get, "/v1/models");
  EXPECT_EQ(m.result, router::outcome::found);
  EXPECT_EQ(name_of(m), "list");
  EXPECT_TRUE(m.param_name.empty());

  m = r.match(method::get, "/v1/models/org/name");
  EXPECT_EQ(name_of(m), "get");
  EXPECT_EQ(m.param_name, "id");
  EXPECT_EQ(m.param_value, "org/name");

  m = r.match(method::get, "/v1/models/org%2Fname%20x");
  EXPECT_EQ(m.param_value, "org/name x");
  EXPECT_EQ(name_of(r.match(method::delete_, "/v1/models/a")), "delete");

  m = r.match(method::get, "/v1/files/abc");
  EXPECT_EQ(name_of(m), "file");
  EXPECT_EQ(m.param_value, "abc");
  // A one-segment parameter does not swallow slashes, nor match an empty segment.
  EXPECT_EQ(r.match(method::get, "/v1/files/a/b").result, router::outcome::not_found);
  EXPECT_EQ(r.match(method::get, "/v1/files/").result, router::outcome::not_found);
  EXPECT_EQ(r.match(method::get, "/v1/models/").result, router::outcome::not_found);
  EXPECT_EQ(r.match(method::get, "/nope").result, router::outcome::not_found);
}

TEST(router, head_falls_back_to_get_and_405_lists_methods) {
  router r;
  r.add(method::get, "/health", slot("health"));
  r.add(method::post, "/chat", slot("chat"));
  EXPECT_EQ(name_of(r.match(method::head, "/health")), "health");
  auto m = r.match(method::post, "/health");
  EXPECT_EQ(m.result, router::outcome::method_not_allowed);
  EXPECT_EQ(m.allow, "GET, HEAD");
  m = r.match(method::get, "/chat");
  EXPECT_EQ(m.result, router::outcome::method_not_allowed);
  EXPECT_EQ(m.allow, "POST");
  EXPECT_EQ(r.allowed_methods("/health"), "GET, HEAD");
  EXPECT_EQ(r.allowed_methods("/missing"), "");
}

TEST(router, malformed_or_duplicate_patterns_are_rejected) {
  router r;
  EXPECT_THROW(r.add(method::get, "health", slot("x")), std::invalid_argument);
  EXPECT_THROW(r.add(method::get, "/a/{id}/b/{x}", slot("x")), std::invalid_argument);
  EXPECT_THROW(r.add(method::get, "/a/{id}/content", slot("x")), std::invalid_argument);
  EXPECT_THROW(r.add(method::get, "/a/x{id}", slot("x")), std::invalid_argument);
  EXPECT_THROW(r.add(method::get, "/a/{}", slot("x")), std::invalid_argument);
  EXPECT_THROW(r.add(method::get, "/a/{id", slot("x")), std::invalid_argument);
  r.add(method::get, "/a/{id}", slot("x"));
  EXPECT_THROW(r.add(method::get, "/a/{id}", slot("y")), std::invalid_argument);
  EXPECT_THROW(r.add(method::post, "/a/{other}", slot("y")), std::invalid_argument);
  r.add(method::post, "/a/{id}", slot("y"));
  EXPECT_EQ(name_of(r.match(method::post, "/a/1")), "y");
}

}  // namespace
}  // namespace hf::net::http
