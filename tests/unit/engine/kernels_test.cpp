// CPU kernels against straightforward double-precision references: projections (few rows and
// many), norms, activations, softmax, RoPE, attention (one query to many, GQA, causal and not),
// and the RoPE scaling variants read from config.json. Bit-exact invariance: kernel_invariance_test.
#include "engine/kernels/kernels.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "engine/errors.hpp"
#include "engine/layers/rope.hpp"

namespace {

using namespace hf::engine;

tensor random_tensor(shape_t shape, uint64_t seed, float scale = 1.0f) {
  tensor t(std::move(shape));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-scale, scale);
  for (auto& v : t.span()) v = u(rng);
  return t;
}

weight as_weight(tensor t) { return weight::from_tensor(std::move(t)); }

void expect_near_all(std::span<const float> a, const std::vector<double>& b, double tol) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], tol * (1 + std::fabs(b[i]))) << "at " << i;
}

TEST(kernels, linear_matches_reference_for_every_row_count) {
  const size_t in = 37, out = 29;
  const weight w = as_weight(random_tensor({out, in}, 1));
  const weight b = as_weight(random_tensor({out}, 2));
  for (size_t rows : {1, 2, 3, 7, 8, 9, 16, 17, 40}) {
    SCOPED_TRACE(rows);
    const tensor x = random_tensor({rows, in}, 3 + rows);
    tensor y;
    kernels::linear(x, w, &b, y);
    std::vector<double> ref(rows * out);
    for (size_t r = 0; r < rows; ++r)
      for (size_t o = 0; o < out; ++o) {
        double s = b.data()[o];
        for (size_t i = 0; i < in; ++i) s += static_cast<double>(x.row(r)[i]) * w.row(o)[i];
        ref[r * out + o] = s;
      }
    expect_near_all(y.span(), ref, 1e-5);
  }
}

TEST(kernels, norms_and_activations) {
  const size_t dim = 70;
  const tensor x = random_tensor({3, dim}, 6, 3.0f);
  const weight g = as_weight(random_tensor({dim}, 7)), be = as_weight(random_tensor({dim}, 8));
  tensor y;
  kernels::layer_norm(x, g, be, 1e-5f, y);
  tensor z;
  kernels::rms_norm(x, g, 1e-6f, z);
  std::vector<double> ln, rms;
  for (size_t r = 0; r < 3; ++r) {
    double mean = 0, var = 0, sq = 0;
    for (size_t i = 0; i < dim; ++i) mean += x.row(r)[i];
    mean /= dim;
    for (size_t i = 0; i < dim; ++i) var += (x.row(r)[i] - mean) * (x.row(r)[i] - mean), sq += x.row(r)[i] * x.row(r)[i];
    var /= dim;
    for (size_t i = 0; i < dim; ++i) {
      ln.push_back((x.row(r)[i] - mean) / std::sqrt(var + 1e-5) * g.data()[i] + be.data()[i]);
      rms.push_back(x.row(r)[i] / std::sqrt(sq / dim + 1e-6) * g.data()[i]);
    }
  }
  expect_near_all(y.span(), ln, 1e-5);
  expect_near_all(z.span(), rms, 1e-5);

  std::vector<float> v;
  for (int i = -1200; i <= 1200; ++i) v.push_back(static_cast<float>(i) / 100.0f);
  auto check = [&](void (*f)(std::span<float>), double (*ref)(double), double tol) {
    auto w2 = v;
    f(w2);
    for (size_t i = 0; i < v.size(); ++i) ASSERT_NEAR(w2[i], ref(v[i]), tol) << "x = " << v[i];
  };
  check(kernels::gelu_erf, [](double t) { return 0.5 * t * (1 + std::erf(t / std::sqrt(2.0))); }, 2e-6);
  check(kernels::gelu_tanh, [](double t) { return 0.5 * t * (1 + std::tanh(std::sqrt(2 / M_PI) * (t + 0.044715 * t * t * t))); }, 2e-6);
  check(kernels::silu, [](double t) { return t / (1 + std::exp(-t)); }, 2e-6);
  check(kernels::tanh, [](double t) { return std::tanh(t); }, 2e-7);
  std::vector<float> s{1.0f, 2.0f, 3.0f, -100.0f, 0.5f};
  kernels::softmax(s);
  double den = std::exp(1.0) + std::exp(2.0) + std::exp(3.0) + std::exp(-100.0) + std::exp(0.5);
  expect_near_all(s, {std::exp(1.0) / den, std::exp(2.0) / den, std::exp(3.0) / den, std::exp(-100.0) / den, std::exp(0.5) / den}, 1e-6);
}

TEST(kernels, rope_rotates_half_pairs_by_position_angles) {
  tensor x = random_tensor({2, 8}, 9);
  const tensor before = x;
  const std::vector<size_t> pos{0, 5};
  const std::vector<float> inv{1.0f, 0.1f};  // rotary dims 4 of head_dim 4, two heads
  kernels::rope(x, 0, 2, 4, pos, inv, 1.0f);
  for (size_t h = 0; h < 2; ++h)
    for (size_t i = 0; i < 4; ++i) EXPECT_EQ(x.row(0)[h * 4 + i], before.row(0)[h * 4 + i]);  // position 0
  for (size_t h = 0; h < 2; ++h)
    for (size_t i = 0; i < 2; ++i) {
      const double a = before.row(1)[h * 4 + i], b = before.row(1)[h * 4 + i + 2], ang = 5.0 * inv[i];
      EXPECT_NEAR(x.row(1)[h * 4 + i], a * std::cos(ang) - b * std::sin(ang), 1e-6);
      EXPECT_NEAR(x.row(1)[h * 4 + i + 2], b * std::cos(ang) + a * std::sin(ang), 1e-6);
    }
}

// Reference attention in double for one head group layout [tokens][heads*hd].
std::vector<double> reference_attention(const tensor& q, const tensor& k, const tensor& v, size_t heads, size_t kv_heads,
                                        size_t hd, bool causal) {
  const size_t nq = q.dim(0), nk = k.dim(0);
  std::vector<double> out(nq * heads * hd, 0.0);
  for (size_t i = 0; i < nq; ++i)
    for (size_t h = 0; h < heads; ++h) {
      const size_t g = h / (heads / kv_heads);
      const size_t visible = causal ? nk - nq + i + 1 : nk;
      std::vector<double> s(visible);
      double mx = -1e300, sum = 0;
      for (size_t j = 0; j < visible; ++j) {
        double d = 0;
        for (size_t t = 0; t < hd; ++t) d += static_cast<double>(q.row(i)[h * hd + t]) * k.row(j)[g * hd + t];
        s[j] = d / std::sqrt(static_cast<double>(hd));
        mx = std::max(mx, s[j]);
      }
      for (auto& e : s) sum += (e = std::exp(e - mx));
      for (size_t j = 0; j < visible; ++j)
        for (size_t t = 0; t < hd; ++t) out[(i * heads + h) * hd + t] += s[j] / sum * v.row(j)[g * hd + t];
    }
  return out;
}

TEST(kernels, attention_matches_reference_with_gqa) {
  const size_t heads = 4, kv = 2, hd = 16;
  for (bool causal : {true, false})
    for (size_t nq : {1, 3, 6, 130}) {
      SCOPED_TRACE(::testing::Message() << "causal " << causal << " queries " << nq);
      const size_t nk = causal ? nq + 5 : nq;
      const tensor q = random_tensor({nq, heads * hd}, 10 + nq), k = random_tensor({nk, kv * hd}, 20 + nq),
                   v = random_tensor({nk, kv * hd}, 30 + nq);
      tensor out({nq, heads * hd});
      kernels::attention_args a;
      a.q = q.data();
      a.q_stride = heads * hd;
      a.n_queries = nq;
      a.k = k.data();
      a.v = v.data();
      a.kv_head_stride = hd;
      a.kv_row_stride = kv * hd;
      a.n_keys = nk;
      a.n_heads = heads;
      a.n_kv_heads = kv;
      a.head_dim = hd;
      a.scale = 1.0f / 4.0f;
      a.causal = causal;
      a.out = out.data();
      a.out_stride = heads * hd;
      kernels::attention(a);
      expect_near_all(out.span(), reference_attention(q, k, v, heads, kv, hd, causal), 1e-5);
    }
}

json_config rope_config(const std::string& scaling) {
  return json_config::from_json(nlohmann::json::parse(R"({"rope_theta": 10000.0, "rope_scaling": )" + scaling + "}"), "test");
}

TEST(rope_table, scaling_variants) {
  const auto plain = rope_table::from_config(rope_config("null"), 16, 128).frequencies_for(10);
  ASSERT_EQ(plain.size(), 8u);
  EXPECT_NEAR(plain[1], std::pow(10000.0, -2.0 / 16), 1e-7);
  const auto linear = rope_table::from_config(rope_config(R"({"type": "linear", "factor": 4.0})"), 16, 128);
  for (size_t i = 0; i < 8; ++i) EXPECT_NEAR(linear.frequencies_for(10)[i], plain[i] / 4, 1e-7);
  const auto dynamic = rope_table::from_config(rope_config(R"({"rope_type": "dynamic", "factor": 2.0})"), 16, 128);
  EXPECT_EQ(dynamic.frequencies_for(100), plain);   // within the trained context: unchanged
  EXPECT_LT(dynamic.frequencies_for(512)[7], plain[7]);  // beyond it: a larger base, lower frequencies
  EXPECT_EQ(dynamic.frequencies_for(512)[0], 1.0f);
  const auto llama3 = rope_table::from_config(rope_config(R"({"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
      "high_freq_factor": 4.0, "original_max_position_embeddings": 64})"), 16, 128).frequencies_for(10);
  EXPECT_EQ(llama3[0], plain[0]);                       // high frequencies kept
  EXPECT_NEAR(llama3[7], plain[7] / 8, 1e-7);           // low frequencies divided by the factor
  const auto yarn = rope_table::from_config(rope_config(R"({"rope_type": "yarn", "factor": 4.0,
      "original_max_position_embeddings": 64})"), 16, 256);
  EXPECT_NEAR(yarn.attention_scaling(), 0.1 * std::log(4.0) + 1, 1e-6);
  EXPECT_NEAR(yarn.frequencies_for(10)[0], plain[0], 1e-7);
  EXPECT_NEAR(yarn.frequencies_for(10)[7], plain[7] / 4, 1e-7);
  EXPECT_THROW(rope_table::from_config(rope_config(R"({"rope_type": "longrope", "factor": 4.0})"), 16, 128), model_error);
}

}  // namespace
