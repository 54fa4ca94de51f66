// Exception types of the engine layer: every expected failure (bad model files, bad inputs,
// cancellation) is thrown as one of these, with a message naming the file/tensor/field involved.
// Usage: try { auto m = hf::engine::load_model(dir); } catch (const hf::engine::model_error& e) { ... }
#pragma once
#include <stdexcept>
#include <string>

namespace hf::engine {

// Base of all engine errors, so callers can catch the layer's failures in one place.
class engine_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A model folder, weight file, config or tensor is missing, malformed or inconsistent.
class model_error : public engine_error {
 public:
  using engine_error::engine_error;
};

// A request is invalid for this model (token id out of range, sequence too long, wrong task...).
class input_error : public engine_error {
 public:
  using engine_error::engine_error;
};

// The caller's stop_token was triggered; thrown between layers/steps, never mid-kernel.
class cancelled_error : public engine_error {
 public:
  cancelled_error() : engine_error("engine: computation cancelled") {}
};

}  // namespace hf::engine
