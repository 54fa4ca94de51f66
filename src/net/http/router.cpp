#include "net/http/router.hpp"

#include <algorithm>
#include <stdexcept>

#include "net/http/url.hpp"

namespace hf::net::http {
namespace {
[[noreturn]] void bad_pattern(std::string_view pattern, const char* why) {
  throw std::invalid_argument("route pattern '" + std::string(pattern) + "': " + why);
}
}  // namespace

void router::add(method m, std::string_view pattern, std::shared_ptr<route_slot> slot) {
  if (pattern.empty() || pattern.front() != '/') bad_pattern(pattern, "must start with '/'");
  if (m == method::other) bad_pattern(pattern, "routes need a standard method");
  entry e;
  std::size_t brace = pattern.find('{');
  if (brace == std::string_view::npos) {
    if (pattern.find('}') != std::string_view::npos) bad_pattern(pattern, "stray '}'");
    e.prefix = pattern;
  } else {
    if (pattern[brace - 1] != '/') bad_pattern(pattern, "a parameter must be a whole segment");
    if (pattern.back() != '}' || pattern.find('{', brace + 1) != std::string_view::npos ||
        pattern.find('}') != pattern.size() - 1) {
      bad_pattern(pattern, "only one parameter, as the last segment, is supported");
    }
    std::string_view name = pattern.substr(brace + 1, pattern.size() - brace - 2);
    if (name.size() > 3 && name.substr(name.size() - 3) == "...") {
      e.catch_all = true;
      name.remove_suffix(3);
    }
    if (name.empty() || name.find('/') != std::string_view::npos)
      bad_pattern(pattern, "bad parameter name");
    e.prefix = pattern.substr(0, brace);
    e.param = name;
  }
  auto& list = e.param.empty() ? exact_ : patterns_;
  const std::string prefix = e.prefix;
  const std::string param = e.param;
  const bool catch_all = e.catch_all;
  auto same_key = [&](const entry& x) {
    return x.prefix == prefix && x.param.empty() == param.empty() && x.catch_all == catch_all;
  };
  auto same = std::find_if(list.begin(), list.end(), same_key);
  if (same == list.end()) {
    list.push_back(std::move(e));
    std::stable_sort(list.begin(), list.end(), [](const entry& x, const entry& y) {
      if (x.prefix.size() != y.prefix.size()) return x.prefix.size() > y.prefix.size();
      return !x.catch_all && y.catch_all;  // one segment before the catch-all of the same prefix
    });
    same = std::find_if(list.begin(), list.end(), same_key);
  } else if (same->param != param) {
    bad_pattern(pattern, "the same path is already routed with another parameter name");
  }
  auto& s = same->by_method[static_cast<std::size_t>(m)];
  if (s) bad_pattern(pattern, "this method is already routed for it");
  s = std::move(slot);
}

const router::entry* router::find(std::string_view path, std::string& value) const {
  for (const entry& e : exact_) {
    if (e.prefix == path) return &e;
  }
  for (const entry& e : patterns_) {
    if (path.size() <= e.prefix.size() || path.substr(0, e.prefix.size()) != e.prefix) continue;
    std::string_view rest = path.substr(e.prefix.size());
    if (!e.catch_all && rest.find('/') != std::string_view::npos) continue;
    value = percent_decode(rest);
    return &e;
  }
  return nullptr;
}

std::string router::allow_of(const entry& e) {
  std::string allow;
  bool get = false;
  bool head = false;
  for (std::size_t i = 0; i < method_count; ++i) {
    if (!e.by_method[i]) continue;
    auto m = static_cast<method>(i);
    get = get || m == method::get;
    head = head || m == method::head;
    if (!allow.empty()) allow += ", ";
    allow += to_string(m);
  }
  if (get && !head) allow += ", HEAD";
  return allow;
}

router::match_result router::match(method m, std::string_view path) const {
  match_result r;
  const entry* e = find(path, r.param_value);
  if (!e) return r;
  r.param_name = e->param;
  const auto& slots = e->by_method;
  const route_slot* s = slots[static_cast<std::size_t>(m)].get();
  if (!s && m == method::head) s = slots[static_cast<std::size_t>(method::get)].get();
  if (s) {
    r.result = outcome::found;
    r.slot = s;
    return r;
  }
  r.result = outcome::method_not_allowed;
  r.allow = allow_of(*e);
  return r;
}

std::string router::allowed_methods(std::string_view path) const {
  std::string ignored;
  const entry* e = find(path, ignored);
  return e ? allow_of(*e) : std::string();
}

}  // namespace hf::net::http
