// The built-in web page: src/app/web/index.html, compiled into the binary by
// cmake/embed_text.cmake (the generated build/generated/web_page_html.cpp defines it), and the
// route that serves it at GET / (no key needed: the page asks for one and sends it with its API
// calls).
//   register_web_page(srv);
#pragma once
#include <string_view>

#include "net/http/server.hpp"

namespace hf::app {

std::string_view web_page_html();

void register_web_page(net::http::server& srv);

}  // namespace hf::app
