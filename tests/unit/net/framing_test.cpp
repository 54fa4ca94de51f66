// Pure framing helpers: SSE events, response heads, the WebSocket accept key (RFC 6455's own
// example), frame headers, masking, UTF-8 validation, and the CORS policy's decisions.
#include "net/http/sse.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "net/http/cors.hpp"
#include "net/http/headers.hpp"
#include "net/http/websocket_frame.hpp"
#include "net/http/wire.hpp"

namespace hf::net::http {
namespace {

TEST(sse, events_split_data_per_line) {
  std::string out;
  sse::append_event(out, "one");
  EXPECT_EQ(out, "data: one\n\n");
  out.clear();
  sse::append_event(out, "a\nb\r\nc\rd", "delta", "7");
  EXPECT_EQ(out, "event: delta\nid: 7\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  out.clear();
  sse::append_event(out, "");
  EXPECT_EQ(out, "data: \n\n");
  out.clear();
  sse::append_event(out, "tail\n");
  EXPECT_EQ(out, "data: tail\ndata: \n\n");
  out.clear();
  sse::append_comment(out, "keep-alive");
  EXPECT_EQ(out, ": keep-alive\n\n");
  EXPECT_THROW(sse::append_event(out, "x", "bad\nname"), std::invalid_argument);
}

TEST(wire, heads_and_chunks) {
  std::string out;
  wire::status_line(out, 11, status::not_found, {});
  wire::field(out, "Content-Type", "application/json");
  wire::content_length(out, 1234);
  wire::chunk_header(out, 255);
  EXPECT_EQ(
      out,
      "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 1234\r\nff\r\n");
  out.clear();
  wire::status_line(out, 11, static_cast<status>(299), "Custom");
  EXPECT_EQ(out, "HTTP/1.1 299 Custom\r\n");
  EXPECT_THROW(wire::field(out, "X", "a\r\nInjected: yes"), std::invalid_argument);
  EXPECT_TRUE(wire::is_framing_field("content-LENGTH"));
  EXPECT_FALSE(wire::is_framing_field("Content-Type"));
  wire::date_cache dates;
  std::string_view d = dates.now();
  EXPECT_EQ(d.size(), 29u);  // "Sun, 06 Nov 1994 08:49:37 GMT"
  EXPECT_EQ(d.substr(d.size() - 4), " GMT");
}

TEST(headers, lookup_is_case_insensitive_and_tokens_parse) {
  header_list h{{"Content-Type", "text/plain"}, {"Vary", "Origin"}};
  EXPECT_EQ(h.get("content-type"), "text/plain");
  h.set("CONTENT-TYPE", "application/json");
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.get("Content-Type"), "application/json");
  h.add("vary", "Accept");
  h.remove("VARY");
  EXPECT_EQ(h.size(), 1u);
  EXPECT_TRUE(has_token("keep-alive, Upgrade", "upgrade"));
  EXPECT_FALSE(has_token("keep-alive, Upgrade-ish", "upgrade"));
}

TEST(websocket_frame, accept_key_matches_rfc_6455_example) {
  // RFC 6455 section 1.3.
  EXPECT_EQ(ws::accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  EXPECT_TRUE(ws::is_valid_client_key("dGhlIHNhbXBsZSBub25jZQ=="));
  EXPECT_FALSE(ws::is_valid_client_key("short=="));
  EXPECT_FALSE(ws::is_valid_client_key("dGhlIHNhbXBsZSBub25jZQ!="));
  const unsigned char abc[] = {'f', 'o', 'o', 'b', 'a'};
  EXPECT_EQ(ws::base64_encode(abc, 5), "Zm9vYmE=");
  EXPECT_EQ(ws::base64_encode(abc, 4), "Zm9vYg==");
  EXPECT_EQ(ws::base64_encode(abc, 3), "Zm9v");
}

TEST(websocket_frame, headers_round_trip_and_masking) {
  for (std::uint64_t len : {0ull, 125ull, 126ull, 65535ull, 65536ull, 1ull << 33}) {
    std::string out;
    ws::append_frame_header(out, ws::opcode::binary, true, len);
    auto h = ws::parse_frame_header(out);
    ASSERT_TRUE(h.has_value()) << len;
    EXPECT_TRUE(h->fin);
    EXPECT_EQ(h->op, 0x2);
    EXPECT_FALSE(h->masked);
    EXPECT_EQ(h->payload_length, len);
    EXPECT_EQ(h->size, out.size());
    EXPECT_FALSE(
        ws::parse_frame_header(std::string_view(out).substr(0, out.size() - 1)).has_value());
  }
  // The RFC 6455 5.7 example: a masked "Hello".
  const unsigned char frame[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};
  std::string_view bytes(reinterpret_cast<const char*>(frame), sizeof frame);
  auto h = ws::parse_frame_header(bytes);
  ASSERT_TRUE(h.has_value());
  EXPECT_TRUE(h->masked);
  EXPECT_EQ(h->payload_length, 5u);
  std::string payload(bytes.substr(h->size));
  ws::unmask(payload.data(), 2, h->mask, 0);
  ws::unmask(payload.data() + 2, 3, h->mask, 2);
  EXPECT_EQ(payload, "Hello");
}

TEST(websocket_frame, utf8_validation_and_close_codes) {
  EXPECT_TRUE(ws::is_valid_utf8("plain ascii"));
  EXPECT_TRUE(ws::is_valid_utf8("κόσμε \xF0\x9F\x98\x80"));
  EXPECT_FALSE(ws::is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(ws::is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(ws::is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(ws::is_valid_utf8("\xE2\x82"));          // truncated
  EXPECT_TRUE(ws::is_valid_close_code(1000));
  EXPECT_TRUE(ws::is_valid_close_code(4000));
  EXPECT_FALSE(ws::is_valid_close_code(1005));
  EXPECT_FALSE(ws::is_valid_close_code(1006));
  EXPECT_FALSE(ws::is_valid_close_code(999));
}

TEST(cors_policy, origins_and_the_credentials_rule) {
  cors_policy off({});
  EXPECT_FALSE(off.enabled());
  EXPECT_FALSE(off.allow_origin("https://a.example"));

  cors_policy any({.allowed_origins = {"*"}});
  EXPECT_EQ(any.allow_origin("https://a.example"), "*");

  // "*" with credentials: the origin is echoed, never "*".
  cors_policy creds({.allowed_origins = {"*"}, .allow_credentials = true});
  EXPECT_EQ(creds.allow_origin("https://a.example"), "https://a.example");
  std::vector<std::pair<std::string, std::string>> fields;
  creds.response_fields("https://a.example",
                        [&](std::string_view n, std::string_view v) { fields.emplace_back(n, v); });
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[0], (std::pair<std::string, std::string>{"Access-Control-Allow-Origin",
                                                            "https://a.example"}));
  EXPECT_EQ(fields[1].first, "Vary");
  EXPECT_EQ(fields[2],
            (std::pair<std::string, std::string>{"Access-Control-Allow-Credentials", "true"}));

  cors_policy list({.allowed_origins = {"https://app.example"}});
  EXPECT_EQ(list.allow_origin("https://APP.example"), "https://APP.example");
  EXPECT_FALSE(list.allow_origin("https://evil.example"));
}

}  // namespace
}  // namespace hf::net::http
