// kv_cache bookkeeping: growth keeps stored rows, truncate rewinds, limits are input errors.
#include "engine/kv_cache/kv_cache.hpp"

#include <gtest/gtest.h>

#include "engine/errors.hpp"

namespace {

using namespace hf::engine;

TEST(kv_cache, growth_keeps_rows_and_truncate_rewinds) {
  kv_cache c({2, 3, 4, 1000});
  EXPECT_EQ(c.length(), 0u);
  c.reserve(5);
  for (size_t l = 0; l < 2; ++l)
    for (size_t h = 0; h < 3; ++h)
      for (size_t t = 0; t < 5; ++t)
        for (size_t d = 0; d < 4; ++d) {
          c.keys(l, h)[t * 4 + d] = static_cast<float>(l * 1000 + h * 100 + t * 10 + d);
          c.values(l, h)[t * 4 + d] = -static_cast<float>(l * 1000 + h * 100 + t * 10 + d);
        }
  c.commit(5);
  c.reserve(300);  // reallocates
  EXPECT_GE(c.capacity(), 300u);
  EXPECT_EQ(c.length(), 5u);
  for (size_t l = 0; l < 2; ++l)
    for (size_t h = 0; h < 3; ++h)
      for (size_t t = 0; t < 5; ++t) {
        EXPECT_EQ(c.keys(l, h)[t * 4 + 3], static_cast<float>(l * 1000 + h * 100 + t * 10 + 3));
        EXPECT_EQ(c.values(l, h)[t * 4 + 1], -static_cast<float>(l * 1000 + h * 100 + t * 10 + 1));
      }
  EXPECT_EQ(c.head_stride(), c.capacity() * 4);
  EXPECT_GT(c.memory_bytes(), 2u * 2 * 3 * 300 * 4 * sizeof(float) - 1);
  c.truncate(2);
  EXPECT_EQ(c.length(), 2u);
  EXPECT_THROW(c.truncate(3), input_error);
  EXPECT_THROW(c.reserve(1001), input_error);
  EXPECT_THROW(c.commit(c.capacity()), std::logic_error);
}

}  // namespace
