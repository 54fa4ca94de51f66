// Helpers for the engine tests: locating ../shared/fixtures, reading the expected-output JSON
// files, comparing float arrays with the per-field atol/rtol the fixtures store, and seeded
// random operands for the kernel tests.
// Usage: auto j = fixtures::expected("gpt2-tiny");  EXPECT_TRUE(fixtures::all_close(got, want,
// 1e-4, 1e-4));
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <span>
#include <string>
#include <vector>

namespace fixtures {

inline std::filesystem::path root() { return HFSERVE_FIXTURES_DIR; }
inline bool available() { return std::filesystem::exists(root() / "expected" / "gpt2-tiny.json"); }
inline std::filesystem::path model_dir(const std::string& name) { return root() / "models" / name; }

// Parsed once per process (the files are several MB).
inline const nlohmann::json& expected(const std::string& name) {
  static std::map<std::string, nlohmann::json> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    std::ifstream in(root() / "expected" / (name + ".json"));
    it = cache.emplace(name, nlohmann::json::parse(in)).first;
  }
  return it->second;
}

inline const nlohmann::json& find_case(const nlohmann::json& file, const std::string& name) {
  for (const auto& c : file["cases"])
    if (c["name"] == name) return c;
  throw std::runtime_error("no fixture case " + name);
}

inline std::vector<int32_t> ints(const nlohmann::json& j) { return j.get<std::vector<int32_t>>(); }

// The real (unpadded) token ids of row r of a causal-LM case.
inline std::vector<int32_t> row_tokens(const nlohmann::json& c, size_t r) {
  std::vector<int32_t> out;
  const auto ids = ints(c["input_ids"][r]);
  const auto mask = ints(c["attention_mask"][r]);
  for (size_t i = 0; i < ids.size(); ++i)
    if (mask[i]) out.push_back(ids[i]);
  return out;
}

// n floats uniform in [-1, 1), the same for the same seed (kernel tests' operands).
inline std::vector<float> random_floats(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = u(rng);
  return v;
}
inline std::vector<float> floats(const nlohmann::json& j) { return j.get<std::vector<float>>(); }

// Element-wise |a - e| <= atol + rtol |e|; reports the first few offenders.
inline ::testing::AssertionResult all_close(std::span<const float> actual, std::span<const float> expected_values,
                                            double atol, double rtol) {
  if (actual.size() != expected_values.size())
    return ::testing::AssertionFailure() << "size " << actual.size() << " != " << expected_values.size();
  size_t bad = 0;
  double worst = 0;
  std::string first;
  for (size_t i = 0; i < actual.size(); ++i) {
    const double diff = std::fabs(static_cast<double>(actual[i]) - expected_values[i]);
    const double allowed = atol + rtol * std::fabs(static_cast<double>(expected_values[i]));
    worst = std::max(worst, diff);
    if (!(diff <= allowed)) {
      if (bad++ < 3)
        first += " [" + std::to_string(i) + "] " + std::to_string(actual[i]) + " vs " +
                 std::to_string(expected_values[i]);
    }
  }
  if (bad) return ::testing::AssertionFailure() << bad << " elements out of tolerance (max diff " << worst << "):" << first;
  return ::testing::AssertionSuccess();
}

// Bit-for-bit equality (the engine is batch-invariant: no tolerance where the computation is the
// same); unlike ==, tells -0 from +0. Reports the first difference.
inline ::testing::AssertionResult same_bits(std::span<const float> actual, std::span<const float> expected_values) {
  if (actual.size() != expected_values.size())
    return ::testing::AssertionFailure() << "size " << actual.size() << " != " << expected_values.size();
  for (size_t i = 0; i < actual.size(); ++i)
    if (std::memcmp(&actual[i], &expected_values[i], sizeof(float)) != 0)
      return ::testing::AssertionFailure() << "first difference at [" << i << "]: " << actual[i] << " vs "
                                           << expected_values[i];
  return ::testing::AssertionSuccess();
}

inline std::vector<int32_t> argmax_top(std::span<const float> v, size_t k) {
  std::vector<int32_t> idx(v.size());
  for (size_t i = 0; i < v.size(); ++i) idx[i] = static_cast<int32_t>(i);
  std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end(),
                    [&](int32_t a, int32_t b) { return v[static_cast<size_t>(a)] > v[static_cast<size_t>(b)]; });
  idx.resize(k);
  return idx;
}

}  // namespace fixtures

#define HF_REQUIRE_FIXTURES() \
  if (!fixtures::available()) GTEST_SKIP() << "fixtures not found at " << fixtures::root()
