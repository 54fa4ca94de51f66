// The projection kernels for weights kept in bf16, f16 and int8: the AVX-512 kernels give the
// bits of the portable definitions (dot_rows.hpp), a row's result does not depend on the other
// rows of the call (batch invariance, also across the few-rows/many-rows switch), and the
// conversions into each type (matrix::convert, to_bf16) do what they say.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "engine/kernels/cpu/dot_rows.hpp"
#include "engine/kernels/kernels.hpp"
#include "engine/tensor/matrix.hpp"
#include "engine/weights/dtype.hpp"
#include "fixture_support.hpp"

namespace {

using namespace hf::engine;

// The shapes of the f32 test: both sides of the few/many-rows switch and of the tiles, k around
// every vector width (16, 32) and the k slabs (1024 f32 and 2048 bf16 elements: 4 KB of x); 150
// rows of the deepest k span more than one x chunk (512 KB of x each).
const size_t k_rows[] = {1, 2, 5, 8, 9, 13, 150};
const size_t k_outs[] = {1, 3, 6, 133};
const size_t k_depths[] = {1, 15, 17, 31, 32, 33, 100, 513, 1024, 1025, 2048, 2049};

TEST(dot_rows_dtypes, fast_f16_and_int8_kernels_give_the_bits_of_the_portable_definition) {
  for (size_t m : k_rows)
    for (size_t n : k_outs)
      for (size_t k : k_depths) {
        SCOPED_TRACE(::testing::Message() << "m " << m << " n " << n << " k " << k);
        const auto x = fixtures::random_floats(m * k, m * 1000 + k),
                   wf = fixtures::random_floats(n * k, n * 7 + k);
        const auto bias = fixtures::random_floats(n, 99);
        const matrix h = matrix::convert(wf.data(), n, k, weight_type::f16);
        const matrix q = matrix::convert(wf.data(), n, k, weight_type::int8);
        std::vector<float> fast(m * n), portable(m * n);
        cpu::dot_rows_f16({x.data(), m, k}, {h.data_as<uint16_t>(), n, k}, k, bias.data(),
                          fast.data(), n);
        cpu::dot_rows_f16_portable({x.data(), m, k}, {h.data_as<uint16_t>(), n, k}, k, bias.data(),
                                   portable.data(), n);
        ASSERT_TRUE(fixtures::same_bits(fast, portable)) << "f16";
        cpu::dot_rows_int8({x.data(), m, k}, {q.data_as<int8_t>(), n, k}, k, q.scales(),
                           bias.data(), fast.data(), n);
        cpu::dot_rows_int8_portable({x.data(), m, k}, {q.data_as<int8_t>(), n, k}, k, q.scales(),
                                    bias.data(), portable.data(), n);
        ASSERT_TRUE(fixtures::same_bits(fast, portable)) << "int8";
      }
}

TEST(dot_rows_dtypes, fast_bf16_kernel_gives_the_bits_of_the_portable_definition) {
  for (size_t m : k_rows)
    for (size_t n : k_outs)
      for (size_t k : k_depths) {
        SCOPED_TRACE(::testing::Message() << "m " << m << " n " << n << " k " << k);
        const auto xf = fixtures::random_floats(m * k, m * 1000 + k),
                   wf = fixtures::random_floats(n * k, n * 7 + k);
        const auto bias = fixtures::random_floats(n, 99);
        std::vector<uint16_t> x(m * k);
        cpu::to_bf16(xf.data(), x.size(), x.data());
        const matrix w = matrix::convert(wf.data(), n, k, weight_type::bf16);
        std::vector<float> fast(m * n), portable(m * n);
        cpu::dot_rows_bf16({x.data(), m, k}, {w.data_as<uint16_t>(), n, k}, k, bias.data(),
                           fast.data(), n);
        cpu::dot_rows_bf16_portable({x.data(), m, k}, {w.data_as<uint16_t>(), n, k}, k, bias.data(),
                                    portable.data(), n);
        ASSERT_TRUE(fixtures::same_bits(fast, portable));
      }
}

TEST(dot_rows_dtypes, bf16_subnormals_count_as_zero_in_both_kernels) {
  // A subnormal bf16 weight or activation contributes nothing (VDPBF16PS's DAZ).
  const size_t k = 40;
  std::vector<uint16_t> x(k, f32_to_bf16(1.0f)), w(k, f32_to_bf16(0.5f)), w_zeroed = w;
  w[3] = 0x0001;  // smallest positive subnormal
  w[20] = 0x8040;
  w_zeroed[3] = 0;
  w_zeroed[20] = 0;
  float a = 0, b = 0, c = 0;
  cpu::dot_rows_bf16({x.data(), 1, k}, {w.data(), 1, k}, k, nullptr, &a, 1);
  cpu::dot_rows_bf16_portable({x.data(), 1, k}, {w.data(), 1, k}, k, nullptr, &b, 1);
  cpu::dot_rows_bf16_portable({x.data(), 1, k}, {w_zeroed.data(), 1, k}, k, nullptr, &c, 1);
  EXPECT_EQ(a, 19.0f);
  EXPECT_TRUE(fixtures::same_bits(std::span(&a, 1), std::span(&b, 1)));
  EXPECT_TRUE(fixtures::same_bits(std::span(&b, 1), std::span(&c, 1)));
}

TEST(dot_rows_dtypes, to_bf16_rounds_to_nearest_even_and_flushes_subnormals) {
  std::vector<float> v = fixtures::random_floats(1000, 5);
  v.push_back(1.0f + 1.0f / 256);  // a tie: rounds to even (1.0)
  v.push_back(1.0f + 3.0f / 256);  // a tie: rounds to even (1 + 4/256)
  v.push_back(std::numeric_limits<float>::denorm_min());
  v.push_back(-1e-39f);  // subnormal
  v.push_back(std::numeric_limits<float>::infinity());
  v.push_back(std::numeric_limits<float>::quiet_NaN());
  v.push_back(3.0e38f);  // rounds up to the largest finite or inf, as RNE says
  std::vector<uint16_t> fast(v.size()), portable(v.size());
  cpu::to_bf16(v.data(), v.size(), fast.data());
  cpu::to_bf16_portable(v.data(), v.size(), portable.data());
  EXPECT_EQ(fast, portable);
  const size_t n = v.size();
  EXPECT_EQ(portable[n - 7], f32_to_bf16(1.0f));
  EXPECT_EQ(portable[n - 6], f32_to_bf16(1.0f + 4.0f / 256));
  EXPECT_EQ(portable[n - 5], 0x0000);
  EXPECT_EQ(portable[n - 4], 0x8000);
  EXPECT_EQ(portable[n - 3], 0x7f80);
  EXPECT_TRUE(std::isnan(bf16_to_f32(portable[n - 2])));
  for (size_t i = 0; i < 1000; ++i)
    EXPECT_EQ(portable[i], f32_to_bf16(v[i])) << i;  // normal values: plain RNE
}

TEST(linear_dtypes, a_rows_result_does_not_depend_on_the_rest_of_the_batch) {
  const size_t in = 200, out = 70;
  const auto wf = fixtures::random_floats(out * in, 3);
  const auto bv = fixtures::random_floats(out, 4);
  tensor bias_t({out});
  std::copy(bv.begin(), bv.end(), bias_t.data());
  const weight bias = weight::from_tensor(bias_t);
  for (weight_type type :
       {weight_type::f32, weight_type::bf16, weight_type::f16, weight_type::int8}) {
    SCOPED_TRACE(weight_type_name(type));
    const matrix w = matrix::convert(wf.data(), out, in, type);
    for (size_t rows : {3, 12, 31}) {  // few-rows and many-rows kernels
      tensor x({rows, in});
      const auto xv = fixtures::random_floats(rows * in, rows);
      std::copy(xv.begin(), xv.end(), x.data());
      tensor y;
      kernels::linear(x, w, &bias, y);
      for (size_t r = 0; r < rows; ++r) {
        tensor one({1, in}), alone;
        std::copy_n(x.row(r), in, one.data());
        kernels::linear(one, w, &bias, alone);
        ASSERT_TRUE(fixtures::same_bits(alone.span(), std::span(y.row(r), out)))
            << "row " << r << " of " << rows;
      }
    }
  }
}

TEST(linear_dtypes, each_type_computes_the_product_of_its_rounded_weights) {
  // y = x · round(W) exactly as the definition says: compared with a float64 product of the same
  // rounded operands, within the f32 accumulation's error bound (k * 2^-24 relative to sum |x w|).
  const size_t in = 300, out = 9, rows = 4;
  const auto wf = fixtures::random_floats(out * in, 11),
             xv = fixtures::random_floats(rows * in, 12);
  tensor x({rows, in});
  std::copy(xv.begin(), xv.end(), x.data());
  for (weight_type type : {weight_type::bf16, weight_type::f16, weight_type::int8}) {
    SCOPED_TRACE(weight_type_name(type));
    const matrix w = matrix::convert(wf.data(), out, in, type);
    tensor y;
    kernels::linear(x, w, nullptr, y);
    std::vector<float> wrow(in);
    for (size_t j = 0; j < out; ++j) {
      w.row_to_f32(j, wrow);
      for (size_t i = 0; i < rows; ++i) {
        double exact = 0, magnitude = 0;
        for (size_t t = 0; t < in; ++t) {
          // bf16 also rounds the activations (the kernel multiplies bf16 by bf16).
          const double xt =
              type == weight_type::bf16 ? bf16_to_f32(f32_to_bf16(x.row(i)[t])) : x.row(i)[t];
          exact += xt * wrow[t];
          magnitude += std::fabs(xt * wrow[t]);
        }
        const double bound = magnitude * static_cast<double>(in) * 0x1p-24 * 2;
        EXPECT_NEAR(y.row(i)[j], exact, bound) << "row " << i << " out " << j;
      }
    }
  }
}

TEST(matrix_convert, int8_rows_use_their_own_scale_and_round_to_the_nearest_step) {
  const size_t rows = 3, cols = 50;
  std::vector<float> src = fixtures::random_floats(rows * cols, 21);
  for (size_t c = 0; c < cols; ++c) src[cols + c] *= 100.0f;   // row 1 is 100x larger
  for (size_t c = 0; c < cols; ++c) src[2 * cols + c] = 0.0f;  // row 2 is all zero
  const matrix q = matrix::convert(src.data(), rows, cols, weight_type::int8);
  EXPECT_EQ(q.bytes(), rows * cols + rows * sizeof(float));
  std::vector<float> back(cols);
  for (size_t r = 0; r < rows; ++r) {
    float absmax = 0;
    for (size_t c = 0; c < cols; ++c) absmax = std::max(absmax, std::fabs(src[r * cols + c]));
    EXPECT_FLOAT_EQ(q.scales()[r], absmax / 127.0f);
    q.row_to_f32(r, back);
    for (size_t c = 0; c < cols; ++c) {
      EXPECT_LE(std::fabs(back[c] - src[r * cols + c]), q.scales()[r] * 0.5f * (1 + 1e-5f))
          << r << "," << c;
      EXPECT_LE(std::abs(static_cast<int>(q.data_as<int8_t>()[r * cols + c])), 127);
    }
  }
}

TEST(matrix_convert, bf16_and_f16_round_to_nearest_even_and_widen_back_exactly) {
  const auto src = fixtures::random_floats(64, 31);
  const matrix b = matrix::convert(src.data(), 2, 32, weight_type::bf16);
  const matrix h = matrix::convert(src.data(), 2, 32, weight_type::f16);
  EXPECT_EQ(b.bytes(), 128u);
  std::vector<float> row(32);
  for (size_t r = 0; r < 2; ++r) {
    b.row_to_f32(r, row);
    for (size_t c = 0; c < 32; ++c) EXPECT_EQ(row[c], bf16_to_f32(f32_to_bf16(src[r * 32 + c])));
    h.row_to_f32(r, row);
    for (size_t c = 0; c < 32; ++c) EXPECT_EQ(row[c], f16_to_f32(f32_to_f16(src[r * 32 + c])));
  }
}

TEST(weight_type_names, parse_and_print) {
  EXPECT_EQ(parse_weight_type("bfloat16"), weight_type::bf16);
  EXPECT_EQ(parse_weight_type("half"), weight_type::f16);
  EXPECT_EQ(parse_weight_type("int8"), weight_type::int8);
  EXPECT_EQ(parse_weight_type("int4"), std::nullopt);
  for (weight_type t : {weight_type::f32, weight_type::bf16, weight_type::f16, weight_type::int8})
    EXPECT_EQ(parse_weight_type(weight_type_name(t)), t);
}

}  // namespace
