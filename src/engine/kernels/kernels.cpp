#include "engine/kernels/kernels.hpp"

#include <stdexcept>
#include <string>

#include "engine/kernels/cpu/cpu_kernels.hpp"

namespace hf::engine::kernels {
namespace {

// Shape errors here are programming errors of the model code (weights are checked at load).
[[noreturn]] void shape_error(const std::string& op, const std::string& what) {
  throw std::logic_error("kernels::" + op + ": " + what);
}

size_t last_dim(const tensor& x, const char* op) {
  if (x.rank() == 0) shape_error(op, "rank-0 input");
  return x.shape().back();
}

}  // namespace

void linear(const tensor& x, const matrix& w, const weight* bias, tensor& y) {
  if (w.empty()) shape_error("linear", "empty weight");
  const size_t in = w.cols();
  const size_t out = w.rows();
  if (last_dim(x, "linear") != in)
    shape_error("linear",
                "input " + shape_string(x.shape()) + " vs weight " + shape_string({out, in}));
  if (bias && !bias->empty() && bias->size() != out) shape_error("linear", "bias size mismatch");
  if (x.data() == y.data()) shape_error("linear", "input and output alias");
  const size_t rows = x.size() / in;
  y.resize({rows, out});
  cpu::linear(x.data(), rows, in, w, bias && !bias->empty() ? bias->data() : nullptr, y.data());
}

void layer_norm(const tensor& x, const weight& gamma, const weight& beta, float eps, tensor& y) {
  const size_t dim = last_dim(x, "layer_norm");
  if (gamma.size() != dim || beta.size() != dim) shape_error("layer_norm", "gamma/beta size mismatch");
  if (&x != &y) y.resize(x.shape());
  cpu::layer_norm(x.data(), x.size() / dim, dim, gamma.data(), beta.data(), eps, y.data());
}

void rms_norm(const tensor& x, const weight& gamma, float eps, tensor& y) {
  const size_t dim = last_dim(x, "rms_norm");
  if (gamma.size() != dim) shape_error("rms_norm", "gamma size mismatch");
  if (&x != &y) y.resize(x.shape());
  cpu::rms_norm(x.data(), x.size() / dim, dim, gamma.data(), eps, y.data());
}

void gelu_erf(std::span<float> x) { cpu::gelu_erf(x.data(), x.size()); }
void gelu_tanh(std::span<float> x) { cpu::gelu_tanh(x.data(), x.size()); }
void silu(std::span<float> x) { cpu::silu(x.data(), x.size()); }
void tanh(std::span<float> x) { cpu::tanh(x.data(), x.size()); }

void silu_mul(tensor& gate, const tensor& up) {
  if (gate.shape() != up.shape()) shape_error("silu_mul", "gate/up shape mismatch");
  cpu::silu_mul(gate.data(), up.data(), gate.size());
}

void add(tensor& y, const tensor& x) {
  if (y.size() != x.size()) shape_error("add", shape_string(y.shape()) + " vs " + shape_string(x.shape()));
  cpu::add(y.data(), x.data(), y.size());
}

void add_bias_rows(tensor& y, const weight& bias) {
  const size_t dim = last_dim(y, "add_bias_rows");
  if (bias.size() != dim) shape_error("add_bias_rows", "bias size mismatch");
  cpu::add_bias_rows(y.data(), y.size() / dim, bias.data(), dim);
}

void softmax(std::span<float> row) { cpu::softmax(row.data(), row.size()); }

void rope(tensor& x, size_t col, size_t n_heads, size_t head_dim, std::span<const size_t> positions,
          std::span<const float> inv_freq, float scale) {
  const size_t width = last_dim(x, "rope");
  const size_t rows = x.size() / width;
  if (col + n_heads * head_dim > width) shape_error("rope", "heads exceed the row width");
  if (positions.size() != rows) shape_error("rope", "one position per row expected");
  if (2 * inv_freq.size() > head_dim) shape_error("rope", "rotary dims exceed head_dim");
  cpu::rope(x.data() + col, rows, width, n_heads, head_dim, positions.data(), inv_freq.data(),
            inv_freq.size(), scale);
}

void attention(const attention_args& a) {
  if (a.n_heads == 0 || a.n_kv_heads == 0 || a.n_heads % a.n_kv_heads != 0)
    shape_error("attention", "n_heads must be a multiple of n_kv_heads");
  if (a.n_queries == 0 || a.n_keys == 0) shape_error("attention", "empty queries or keys");
  if (a.causal && a.n_queries > a.n_keys) shape_error("attention", "more queries than keys");
  if (a.q_stride < a.n_heads * a.head_dim || a.out_stride < a.n_heads * a.head_dim)
    shape_error("attention", "row stride smaller than n_heads*head_dim");
  cpu::attention(a);
}

}  // namespace hf::engine::kernels
