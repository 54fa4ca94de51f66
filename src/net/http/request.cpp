#include "net/http/request.hpp"

#include "net/http/request_access.hpp"
#include "net/http/url.hpp"

namespace hf::net::http {

std::string_view request::query() const noexcept {
  std::string_view t = target();
  return path_len_ < t.size() ? t.substr(path_len_ + 1) : std::string_view();
}

std::optional<std::string> request::query_param(std::string_view name) const {
  return find_query_param(query(), name);
}

std::vector<std::pair<std::string, std::string>> request::query_params() const {
  return parse_query(query());
}

std::optional<std::string_view> request::header(std::string_view name) const noexcept {
  for (const auto& [n, v] : fields_) {
    if (iequals(view(n), name)) return view(v);
  }
  return std::nullopt;
}

request request::make(std::string_view method_name, std::string_view target,
                      const header_list& headers, std::string body, int version) {
  request r;
  std::string& raw = r.raw_;
  raw.append(method_name).append(" ").append(target);
  raw.append(version == 10 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
  detail::request_access::start(r, parse_method(method_name), 0, method_name.size(),
                                method_name.size() + 1, target.size(), version);
  for (const http::header& h : headers) {
    std::size_t name_off = raw.size();
    raw.append(h.name).append(": ").append(h.value).append("\r\n");
    detail::request_access::add_field(r, name_off, h.name.size(), name_off + h.name.size() + 2,
                                      h.value.size());
  }
  raw.append("\r\n");
  std::string_view conn = headers.get("connection").value_or("");
  detail::request_access::finish(
      r, version == 10 ? has_token(conn, "keep-alive") : !has_token(conn, "close"));
  r.body_ = std::move(body);
  return r;
}

}  // namespace hf::net::http
