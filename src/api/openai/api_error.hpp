// OpenAI-shaped errors. Every failure a route reports becomes an api_error, and api_error_response
// is the ONE function that turns it into the HTTP answer
// {"error":{"message","type","param","code"}} with its status.
//   throw api_error::invalid_param("temperature", "must be between 0 and 2");
//   http::response r = api_error_response(error_from_exception(std::current_exception()));
#pragma once
#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "net/http/response.hpp"

namespace hf::api {

class api_error : public std::runtime_error {
 public:
  api_error(int status, std::string type, const std::string& message,
            std::optional<std::string> param = std::nullopt,
            std::optional<std::string> code = std::nullopt)
      : std::runtime_error(message),
        status_(status),
        type_(std::move(type)),
        param_(std::move(param)),
        code_(std::move(code)) {}

  // 400: malformed JSON, missing required fields, requests the model cannot serve.
  static api_error bad_request(const std::string& message,
                               std::optional<std::string> param = std::nullopt);
  // 422: a field is present but has the wrong type or an out-of-range value.
  static api_error invalid_param(const std::string& param, const std::string& message);
  // 404: unknown model (code "model_not_found").
  static api_error model_not_found(const std::string& model);

  int status() const noexcept { return status_; }
  const std::string& type() const noexcept { return type_; }
  const std::optional<std::string>& param() const noexcept { return param_; }
  const std::optional<std::string>& code() const noexcept { return code_; }
  // When to try again (the Retry-After header, whole seconds rounded up); a 503 without it says 1.
  const std::optional<std::chrono::milliseconds>& retry_after() const noexcept {
    return retry_after_;
  }
  api_error& set_retry_after(std::chrono::milliseconds d) {
    retry_after_ = d;
    return *this;
  }

 private:
  int status_;
  std::string type_;
  std::optional<std::string> param_;
  std::optional<std::string> code_;
  std::optional<std::chrono::milliseconds> retry_after_;
};

// Classifies any exception: api_error as is; serving_error by kind; template errors (a chat
// template's raise_exception) as 400; engine input errors as 400; anything else as 500.
api_error error_from_exception(const std::exception_ptr& e);
// The one rendering of an error: {"error":{"message","type","param","code"}}. A JSON answer
// (api_error_response) and an SSE error event (send_stream_error) both carry this body.
nlohmann::json api_error_body(const api_error& e);
// A Retry-After value: whole seconds, rounded up, at least 1, so that a client that honours it is
// not refused again for coming back early (429 rate limits, 503 circuit breaker).
std::string retry_after_value(std::chrono::nanoseconds wait);
// The HTTP answer for an error: its status + api_error_body.
net::http::response api_error_response(const api_error& e);
// Shape of the body for a status produced outside the API (404 route, 413, 431, 408 ...).
net::http::response http_error_response(int status, const std::string& message);

}  // namespace hf::api
