// Batch invariance of the kernels, bit for bit: a row's projection and a query's attention output
// depend only on that row (query and its keys), never on how many other rows share the call,
// where the row sits, how many threads compute it, or which kernel (AVX-512 or portable) runs.
#include "engine/kernels/cpu/dot_rows.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

#include "engine/kernels/compute_threads.hpp"
#include "engine/kernels/cpu/weighted_sum.hpp"
#include "engine/kernels/kernels.hpp"
#include "fixture_support.hpp"

namespace {

using namespace hf::engine;

tensor random_tensor(shape_t shape, uint64_t seed) {
  tensor t(std::move(shape));
  const auto v = fixtures::random_floats(t.size(), seed);
  std::copy(v.begin(), v.end(), t.data());
  return t;
}

// Bitwise equality (EXPECT_EQ on floats would call -0 and +0 equal).
::testing::AssertionResult same_bits(const float* a, const float* b, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (std::memcmp(a + i, b + i, sizeof(float)) != 0)
      return ::testing::AssertionFailure() << "first difference at " << i << ": " << a[i] << " vs " << b[i];
  return ::testing::AssertionSuccess();
}

// Restores the default thread count however a test ends.
struct thread_count_guard {
  ~thread_count_guard() { set_compute_threads(0); }
};

TEST(dot_rows, fast_kernel_gives_the_bits_of_the_portable_definition) {
  // Row counts on both sides of the few-rows/many-rows switch and of the tile sizes; k around
  // the vector width and the k slab (1024 f32 elements) so that tails and parked accumulators
  // are covered; 150 rows of the deepest k span more than one x chunk (512 KB of x each).
  for (size_t m : {1, 2, 5, 7, 8, 9, 13, 40, 150})
    for (size_t n : {1, 3, 4, 6, 133})
      for (size_t k : {1, 15, 16, 17, 64, 513, 1023, 1024, 1025, 2100}) {
        SCOPED_TRACE(::testing::Message() << "m " << m << " n " << n << " k " << k);
        const auto x = fixtures::random_floats(m * k, m * 1000 + k),
                   w = fixtures::random_floats(n * k, n * 7 + k);
        const auto bias = fixtures::random_floats(n, 99);
        std::vector<float> fast(m * n), portable(m * n);
        cpu::dot_rows({x.data(), m, k}, {w.data(), n, k}, k, bias.data(), fast.data(), n);
        cpu::dot_rows_portable({x.data(), m, k}, {w.data(), n, k}, k, bias.data(), portable.data(), n);
        ASSERT_TRUE(same_bits(fast.data(), portable.data(), m * n));
      }
}

TEST(dot_rows, strided_rows_and_output) {
  const size_t m = 11, n = 9, k = 40, ldx = 52, ldw = 47, ldy = 13;
  const auto x = fixtures::random_floats(m * ldx, 1), w = fixtures::random_floats(n * ldw, 2);
  std::vector<float> y(m * ldy, -7.0f), want(m * n);
  cpu::dot_rows({x.data(), m, ldx}, {w.data(), n, ldw}, k, nullptr, y.data(), ldy);
  cpu::dot_rows_portable({x.data(), m, ldx}, {w.data(), n, ldw}, k, nullptr, want.data(), n);
  for (size_t i = 0; i < m; ++i) {
    EXPECT_TRUE(same_bits(y.data() + i * ldy, want.data() + i * n, n)) << "row " << i;
    for (size_t j = n; j < ldy; ++j) EXPECT_EQ(y[i * ldy + j], -7.0f) << "wrote outside the row";
  }
}

TEST(weighted_sum, fast_kernel_gives_the_bits_of_the_portable_definition) {
  for (size_t dim : {1, 16, 20, 64, 80, 128})
    for (size_t rows : {1, 3, 4, 9}) {
      SCOPED_TRACE(::testing::Message() << "dim " << dim << " rows " << rows);
      const size_t keys = 37;
      const auto p = fixtures::random_floats(rows * keys, dim + rows),
                 v = fixtures::random_floats(keys * dim, dim);
      std::vector<size_t> n(rows);
      for (size_t i = 0; i < rows; ++i) n[i] = keys - (rows - 1 - i) * 3;  // causal-like: fewer keys first
      std::vector<float> fast(rows * dim), portable(rows * dim);
      cpu::weighted_sum_rows(p.data(), keys, n.data(), rows, {v.data(), keys, dim}, dim, fast.data(), dim);
      cpu::weighted_sum_rows_portable(p.data(), keys, n.data(), rows, {v.data(), keys, dim}, dim, portable.data(),
                                      dim);
      ASSERT_TRUE(same_bits(fast.data(), portable.data(), rows * dim));
    }
}

// Row r of a projection computed alone, among a few rows (decode batches) and among many
// (prefill), at other positions, and with 1, 2, 3 and 8 threads.
TEST(linear, a_row_is_bit_identical_whatever_shares_the_call) {
  thread_count_guard restore;
  const size_t in = 200, out = 330;
  const weight w = weight::from_tensor(random_tensor({out, in}, 3));
  const weight b = weight::from_tensor(random_tensor({out}, 4));
  const tensor row = random_tensor({1, in}, 5);
  tensor alone;
  set_compute_threads(1);
  kernels::linear(row, w, &b, alone);
  for (size_t threads : {1, 2, 3, 8})
    for (size_t rows : {1, 4, 8, 9, 16, 37, 300}) {
      SCOPED_TRACE(::testing::Message() << "threads " << threads << " rows " << rows);
      set_compute_threads(threads);
      tensor x = random_tensor({rows, in}, 6 + rows);
      const size_t at = rows / 2;
      std::memcpy(x.row(at), row.data(), in * sizeof(float));
      tensor y;
      kernels::linear(x, w, &b, y);
      ASSERT_TRUE(same_bits(y.row(at), alone.data(), out));
    }
}

kernels::attention_args attention_of(const tensor& q, size_t first_query, size_t queries, const tensor& k,
                                     const tensor& v, size_t keys, tensor& out, bool causal) {
  constexpr size_t heads = 6, kv = 2, hd = 40;
  kernels::attention_args a;
  a.q = q.row(first_query);
  a.q_stride = heads * hd;
  a.n_queries = queries;
  a.k = k.data();
  a.v = v.data();
  a.kv_head_stride = hd;
  a.kv_row_stride = kv * hd;
  a.n_keys = keys;
  a.n_heads = heads;
  a.n_kv_heads = kv;
  a.head_dim = hd;
  a.scale = 0.158f;
  a.causal = causal;
  out.resize({queries, heads * hd});
  a.out = out.data();
  a.out_stride = heads * hd;
  return a;
}

// A sequence of 90 positions: its attention outputs computed in one prefill, in chunks of other
// sizes (chunked prefill), and one query at a time (decode against the cache), with any thread
// count, are the same bits.
TEST(attention, a_query_is_bit_identical_in_any_chunking_and_thread_count) {
  thread_count_guard restore;
  constexpr size_t n = 90, width = 6 * 40;
  const tensor q = random_tensor({n, width}, 7), k = random_tensor({n, 2 * 40}, 8), v = random_tensor({n, 2 * 40}, 9);
  tensor whole;
  set_compute_threads(1);
  kernels::attention(attention_of(q, 0, n, k, v, n, whole, true));
  for (size_t threads : {1, 2, 3, 8})
    for (size_t chunk : {1, 5, 32, 33, 64}) {
      SCOPED_TRACE(::testing::Message() << "threads " << threads << " chunk " << chunk);
      set_compute_threads(threads);
      for (size_t first = 0; first < n; first += chunk) {
        const size_t count = std::min(chunk, n - first);
        tensor part;
        kernels::attention(attention_of(q, first, count, k, v, first + count, part, true));
        ASSERT_TRUE(same_bits(part.data(), whole.row(first), count * width)) << "chunk at " << first;
      }
    }
}

TEST(attention, bidirectional_queries_do_not_depend_on_each_other) {
  thread_count_guard restore;
  constexpr size_t n = 45, width = 6 * 40;
  const tensor q = random_tensor({n, width}, 10), k = random_tensor({n, 2 * 40}, 11),
               v = random_tensor({n, 2 * 40}, 12);
  tensor whole, one;
  kernels::attention(attention_of(q, 0, n, k, v, n, whole, false));
  for (size_t i : {0, 17, 44}) {
    set_compute_threads(i % 3 + 1);
    kernels::attention(attention_of(q, i, 1, k, v, n, one, false));
    EXPECT_TRUE(same_bits(one.data(), whole.row(i), width)) << "query " << i;
  }
}

}  // namespace
