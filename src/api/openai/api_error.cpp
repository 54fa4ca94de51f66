#include "api/openai/api_error.hpp"

#include <algorithm>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "engine/errors.hpp"
#include "runtime/errors.hpp"
#include "serving/errors.hpp"
#include "template/error.hpp"

namespace hf::api {

api_error api_error::bad_request(const std::string& message, std::optional<std::string> param) {
  return api_error(400, "invalid_request_error", message, std::move(param));
}

api_error api_error::invalid_param(const std::string& param, const std::string& message) {
  return api_error(422, "invalid_request_error", param + ": " + message, param,
                   "invalid_parameter");
}

api_error api_error::model_not_found(const std::string& model) {
  return api_error(404, "invalid_request_error",
                   "The model '" + model + "' does not exist or is not available", "model",
                   "model_not_found");
}

namespace {

api_error from_serving_error(const serving::serving_error& err) {
  std::optional<std::string> param;
  if (!err.param().empty()) param = err.param();
  switch (err.kind()) {
    case serving::error_kind::invalid_request:
      return {400, "invalid_request_error", err.what(), param};
    case serving::error_kind::model_not_found:
      return {404, "invalid_request_error", err.what(), param, "model_not_found"};
    case serving::error_kind::overloaded:
      return {503, "server_error", err.what(), param, "overloaded"};
    case serving::error_kind::timeout:
      return {504, "timeout_error", err.what(), param, "timeout"};
    case serving::error_kind::unavailable:
      return {503, "server_error", err.what(), param, "unavailable"};
    case serving::error_kind::circuit_open:
      return {503, "server_error", err.what(), param, "circuit_open"};
    case serving::error_kind::internal:
      return {500, "server_error", err.what(), param};
  }
  return {500, "server_error", err.what()};
}

}  // namespace

api_error error_from_exception(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const api_error& err) {
    return err;
  } catch (const serving::serving_error& err) {
    api_error out = from_serving_error(err);
    if (err.retry_after()) out.set_retry_after(*err.retry_after());
    return out;
  } catch (const tmpl::template_raised& err) {
    return api_error(400, "invalid_request_error", err.what(), "messages");
  } catch (const tmpl::template_error& err) {
    return api_error(400, "invalid_request_error",
                     std::string("the chat template failed: ") + err.what(), "messages");
  } catch (const engine::input_error& err) {
    return api_error(400, "invalid_request_error", err.what());
  } catch (const rt::timeout_error& err) {
    return api_error(504, "timeout_error", err.what(), std::nullopt, "timeout");
  } catch (const std::exception& err) {
    return api_error(500, "server_error", std::string("internal error: ") + err.what());
  } catch (...) {
    return api_error(500, "server_error", "internal error");
  }
}

nlohmann::json api_error_body(const api_error& e) {
  return {{"error",
           {{"message", e.what()},
            {"type", e.type()},
            {"param", e.param() ? nlohmann::json(*e.param()) : nlohmann::json()},
            {"code", e.code() ? nlohmann::json(*e.code()) : nlohmann::json()}}}};
}

std::string retry_after_value(std::chrono::nanoseconds wait) {
  return std::to_string(
      std::max<std::int64_t>(std::chrono::ceil<std::chrono::seconds>(wait).count(), 1));
}

net::http::response api_error_response(const api_error& e) {
  auto r = net::http::response::json(api_error_body(e).dump(),
                                     static_cast<net::http::status>(e.status()));
  if (const auto& retry = e.retry_after()) {
    r.headers.add("Retry-After", retry_after_value(*retry));
  } else if (e.status() == 503) {
    r.headers.add("Retry-After", "1");
  }
  return r;
}

net::http::response http_error_response(int status, const std::string& message) {
  std::string type = status >= 500 ? "server_error" : "invalid_request_error";
  std::optional<std::string> code;
  if (status == 404) code = "not_found";
  if (status == 413) code = "request_too_large";
  if (status == 408) code = "request_timeout";
  if (status == 431) code = "headers_too_large";
  if (status == 405) code = "method_not_allowed";
  return api_error_response(api_error(status, type, message, std::nullopt, code));
}

}  // namespace hf::api
