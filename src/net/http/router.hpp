// Route table: path patterns to per-method handlers. A pattern is an exact path ("/health"), or
// ends in one parameter segment: "{name}" matches one non-empty segment, "{name...}" the non-empty
// rest of the path, slashes included (for model ids such as "org/name"). Values are
// percent-decoded. Exact patterns win over parameter patterns; longer prefixes over shorter ones.
//   router r;  r.add(method::get, "/v1/models/{id...}", slot);
//   auto m = r.match(method::get, "/v1/models/org/name");   // m.slot, m.param_value == "org/name"
#pragma once
#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/http/method.hpp"

namespace hf::net::http {

// What a route leads to; the server stores its handlers behind it.
struct route_slot {
  virtual ~route_slot() = default;
};

class router {
 public:
  // std::invalid_argument for a malformed pattern or a (method, pattern) pair already taken.
  void add(method m, std::string_view pattern, std::shared_ptr<route_slot> slot);

  enum class outcome { found, not_found, method_not_allowed };
  struct match_result {
    outcome result = outcome::not_found;
    const route_slot* slot = nullptr;
    std::string_view param_name;  // empty for exact patterns
    std::string param_value;      // decoded
    // For method_not_allowed (and found): the methods the path accepts, as an Allow value.
    std::string allow;
  };
  // HEAD falls back to the GET handler when the pattern has no HEAD handler of its own.
  match_result match(method m, std::string_view path) const;
  // The Allow value for a path ("" if no pattern matches it), for OPTIONS and 405.
  std::string allowed_methods(std::string_view path) const;

 private:
  struct entry {
    std::string prefix;  // the whole path for exact patterns; the part before "{" otherwise
    std::string param;   // parameter name, "" for exact
    bool catch_all = false;
    std::array<std::shared_ptr<route_slot>, method_count> by_method;
  };
  const entry* find(std::string_view path, std::string& value) const;
  static std::string allow_of(const entry& e);

  std::vector<entry> exact_;
  std::vector<entry> patterns_;  // longest prefix first
};

}  // namespace hf::net::http
