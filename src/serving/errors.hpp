// Failures the serving layer reports to its callers, each with a kind that the API layer maps to
// one HTTP status (in one function, api/openai/error_mapping). Expected failures are exceptions of
// this one type; broken invariants are asserts.
//   throw serving_error(error_kind::model_not_found, "model 'x' is not available", "model");
#pragma once
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

namespace hf::serving {

enum class error_kind {
  invalid_request,  // bad parameters for this model (400)
  model_not_found,  // unknown model id (404)
  overloaded,       // queue full / cache full with every model busy (503, retry later)
  timeout,          // waited past the request's deadline (queue or load) (504)
  unavailable,      // shutting down, or a model failed to load (503)
  circuit_open,     // the model's circuit breaker refuses it for now (503 with Retry-After)
  internal,         // a bug or an unexpected engine failure (500)
};

class serving_error : public std::runtime_error {
 public:
  serving_error(error_kind kind, const std::string& message, std::string param = {},
                std::optional<std::chrono::milliseconds> retry_after = std::nullopt)
      : std::runtime_error(message),
        kind_(kind),
        param_(std::move(param)),
        retry_after_(retry_after) {}
  error_kind kind() const noexcept { return kind_; }
  const std::string& param() const noexcept { return param_; }
  // When trying again makes sense (the HTTP answer's Retry-After), if the failure knows.
  const std::optional<std::chrono::milliseconds>& retry_after() const noexcept {
    return retry_after_;
  }

 private:
  error_kind kind_;
  std::string param_;
  std::optional<std::chrono::milliseconds> retry_after_;
};

}  // namespace hf::serving
