#include "app/web/web_page.hpp"

#include <string>

#include "net/http/exchange.hpp"
#include "net/http/response.hpp"

namespace hf::app {

void register_web_page(net::http::server& srv) {
  srv.route(net::http::method::get, "/", [](net::http::exchange& ex) -> rt::task<void> {
    net::http::response r = net::http::response::text(
        std::string(web_page_html()), net::http::status::ok, "text/html; charset=utf-8");
    // Everything the page uses is inline or this server's own API: nothing else may load.
    r.headers.add("Content-Security-Policy",
                  "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                  "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
    r.headers.add("X-Content-Type-Options", "nosniff");
    r.headers.add("Cache-Control", "no-cache");
    co_await ex.respond(std::move(r));
  });
}

}  // namespace hf::app
