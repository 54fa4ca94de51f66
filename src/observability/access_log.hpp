// Request ids and the access-log line written once per HTTP request (logger "access", level info):
// the fields request_id, method, path, status, bytes and duration_ms, in that order.
// Usage: auto id = valid_request_id(header).value_or(new_request_id());
//        access_log(id, "GET", "/v1/models", 200, body_bytes, elapsed);
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hf::obs {

// A fresh 16-hex-digit id, unique within the process and unlikely to repeat across processes.
std::string new_request_id();

// A client-supplied id (e.g. an X-Request-Id header) when it is safe to echo and log:
// 1 to 128 characters of [A-Za-z0-9._:-]. nullopt otherwise, so the caller makes a fresh one.
std::optional<std::string> valid_request_id(std::string_view candidate);

void access_log(std::string_view request_id, std::string_view method, std::string_view path,
                int status, std::uint64_t bytes, std::chrono::nanoseconds duration);

}  // namespace hf::obs
