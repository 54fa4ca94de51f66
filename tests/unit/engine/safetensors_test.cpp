// safetensors reading and writing: round trips for F32/F16/BF16, sharded folders, and every
// malformed-file path (including fuzzed headers and truncations) ending in a clear model_error.
#include "engine/weights/safetensors.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <random>

#include "engine/errors.hpp"
#include "engine/weights/progress.hpp"
#include "engine/weights/safetensors_writer.hpp"
#include "engine/weights/weight_store.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace hf::engine;
namespace fs = std::filesystem;

using hf::test_support::temp_dir;

std::string image(const std::string& header, const std::string& data) {
  std::string out(8, '\0');
  const uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out[static_cast<size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
  return out + header + data;
}

safetensors_header parse(const std::string& file) {
  return parse_safetensors_header({reinterpret_cast<const std::byte*>(file.data()), file.size()}, "test.safetensors");
}

void expect_model_error(const std::string& file, const std::string& needle) {
  try {
    parse(file);
    ADD_FAILURE() << "no error, expected one mentioning '" << needle << "'";
  } catch (const model_error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("test.safetensors"), std::string::npos) << e.what();
  }
}

void write_file(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

const std::string k_valid = image(R"({"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F16","shape":[2,1],"data_offsets":[8,12]}})",
                                  std::string(12, '\x01'));

TEST(safetensors, parses_a_valid_header) {
  auto h = parse(k_valid);
  ASSERT_EQ(h.tensors.size(), 2u);
  EXPECT_EQ(h.tensors[0].name, "a");
  EXPECT_EQ(h.tensors[1].shape, (std::vector<size_t>{2, 1}));
  EXPECT_EQ(h.metadata.at("format"), "pt");
}

TEST(safetensors, rejects_malformed_headers_with_clear_messages) {
  expect_model_error("1234", "truncated");
  expect_model_error(image("{}", "").substr(0, 9), "truncated");
  std::string huge(8, '\0');
  huge[4] = 0x10;  // 2^36 bytes
  expect_model_error(huge + "{}", "100 MB");
  expect_model_error(image("{\"a\":", ""), "malformed JSON");
  expect_model_error(image("[1,2]", ""), "not a JSON object");
  expect_model_error(image(R"({"a":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}})", "xxxx"), "unknown dtype");
  expect_model_error(image(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", "xxxx"), "outside the data");
  expect_model_error(image(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}})", "xxxx"), "begin > end");
  expect_model_error(image(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", "xxxx"), "does not match");
  expect_model_error(image(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", "xxxx"), "non-negative");
  expect_model_error(image(R"({"a":{"dtype":"F32","shape":[1]}})", "xxxx"), "data_offsets");
  expect_model_error(image(R"({"a":{"shape":[1],"data_offsets":[0,4]}})", "xxxx"), "dtype");
  expect_model_error(image(R"({"a":{"dtype":"F32","shape":[4611686018427387904,8],"data_offsets":[0,4]}})", "xxxx"),
                     "overflow");
  expect_model_error(image(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                           std::string(12, 'x')),
                     "overlap");
}

TEST(safetensors, fuzzed_headers_and_truncations_never_crash) {
  std::mt19937_64 rng(42);
  size_t errors = 0;
  auto attempt = [&](const std::string& f) {
    try {
      parse(f);
    } catch (const model_error&) {
      ++errors;
    }
  };
  for (size_t cut = 0; cut < k_valid.size(); ++cut) attempt(k_valid.substr(0, cut));
  for (int i = 0; i < 3000; ++i) {
    std::string f = k_valid;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < flips; ++k) f[rng() % f.size()] = static_cast<char>(rng());
    attempt(f);
  }
  for (int i = 0; i < 500; ++i) {
    std::string f(rng() % 64, '\0');
    for (auto& c : f) c = static_cast<char>(rng());
    attempt(f);
    const uint64_t len = rng() >> (rng() % 64);  // lengths of every magnitude
    std::string g(8, '\0');
    for (int b = 0; b < 8; ++b) g[static_cast<size_t>(b)] = static_cast<char>((len >> (8 * b)) & 0xff);
    attempt(g + "{\"a\":{}}");
  }
  EXPECT_GT(errors, 3000u);
}

TEST(safetensors, writer_round_trips_f32_f16_bf16_through_the_weight_store) {
  temp_dir d;
  const std::vector<float> values{1.0f, -2.5f, 0.333f, 65504.0f, 1e-6f, 0.0f};
  auto fill = [&](std::span<float> v) { std::copy(values.begin(), values.end(), v.begin()); };
  write_safetensors(d.path() / "model.safetensors", {{"f32", dtype::f32, {2, 3}, fill},
                                                     {"f16", dtype::f16, {6}, fill},
                                                     {"bf16", dtype::bf16, {3, 2}, fill}});
  auto ws = weight_store::open(d.path());
  EXPECT_EQ(ws.names(), (std::vector<std::string>{"bf16", "f16", "f32"}));
  auto f32 = ws.load("f32", {2, 3});
  for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(f32.data()[i], values[i]);
  auto f16 = ws.load("f16", {6});
  auto bf16 = ws.load("bf16", {3, 2});
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_NEAR(f16.data()[i], values[i], std::fabs(values[i]) * 1e-3 + 1e-7);
    EXPECT_NEAR(bf16.data()[i], values[i], std::fabs(values[i]) * 8e-3 + 1e-9);
  }
  EXPECT_EQ(f16_to_f32(f32_to_f16(-0.0f)), -0.0f);
  EXPECT_EQ(f16_to_f32(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
  EXPECT_TRUE(std::isinf(f16_to_f32(f32_to_f16(1e6f))));
}

TEST(safetensors, weight_store_errors_name_the_tensor_and_file) {
  temp_dir d;
  write_safetensors(d.path() / "model.safetensors", {{"w", dtype::f32, {2, 3}, {}}});
  auto ws = weight_store::open(d.path());
  try {
    ws.load("w", {3, 2});
    FAIL();
  } catch (const model_error& e) {
    EXPECT_NE(std::string(e.what()).find("'w'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("model.safetensors"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("[3, 2]"), std::string::npos);
  }
  try {
    ws.load("missing.weight", {1});
    FAIL();
  } catch (const model_error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.weight"), std::string::npos);
  }
}

TEST(safetensors, unaligned_f32_data_is_copied_not_misread) {
  temp_dir d;
  // A 3-byte header pad makes the data section start at an odd address.
  const float v[2] = {1.5f, -7.25f};
  std::string data(reinterpret_cast<const char*>(v), sizeof(v));
  write_file(d.path() / "model.safetensors",
             image(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}   )", data));
  auto ws = weight_store::open(d.path());
  auto w = ws.load("x", {2});
  EXPECT_EQ(w.data()[0], 1.5f);
  EXPECT_EQ(w.data()[1], -7.25f);
}

TEST(safetensors, sharded_folder_through_the_index) {
  temp_dir d;
  write_safetensors(d.path() / "model-00001-of-00002.safetensors",
                    {{"a", dtype::f32, {1}, [](std::span<float> s) { s[0] = 1; }}});
  write_safetensors(d.path() / "model-00002-of-00002.safetensors",
                    {{"b", dtype::bf16, {1}, [](std::span<float> s) { s[0] = 2; }}});
  write_file(
      d.path() / "model.safetensors.index.json",
      R"({"metadata":{},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}})");
  auto ws = weight_store::open(d.path());
  EXPECT_EQ(ws.load("a", {1}).data()[0], 1.0f);
  EXPECT_EQ(ws.load("b", {1}).data()[0], 2.0f);
  write_file(d.path() / "model.safetensors.index.json", R"({"weight_map":{"a":"../etc/passwd"}})");
  EXPECT_THROW(weight_store::open(d.path()), model_error);
}

TEST(safetensors, folder_without_safetensors_gives_a_conversion_hint) {
  temp_dir d;
  write_file(d.path() / "pytorch_model.bin", "not really a pickle");
  try {
    weight_store::open(d.path());
    FAIL();
  } catch (const model_error& e) {
    EXPECT_NE(std::string(e.what()).find("convert"), std::string::npos) << e.what();
  }
  fs::remove(d.path() / "pytorch_model.bin");
  EXPECT_THROW(weight_store::open(d.path()), model_error);
  write_file(d.path() / "model.safetensors", std::string("\x05\x00", 2));  // < 8-byte header
  EXPECT_THROW(weight_store::open(d.path()), model_error);
}

}  // namespace

namespace {

using progress_calls = std::vector<std::pair<std::uint64_t, std::uint64_t>>;

// Every (done, total) the sink saw: starts at 0, never goes back, ends at the total.
void expect_a_whole_walk(const progress_calls& seen, std::uint64_t total) {
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front(), (std::pair<std::uint64_t, std::uint64_t>{0, total}));
  for (std::size_t i = 1; i < seen.size(); ++i) {
    EXPECT_GE(seen[i].first, seen[i - 1].first);
    EXPECT_EQ(seen[i].second, total);
  }
  EXPECT_EQ(seen.back().first, total);
}

}  // namespace

TEST(weight_progress, writing_and_loading_report_every_tensor_byte) {
  hf::test_support::temp_dir dir;
  const auto file = dir.path() / "model.safetensors";
  const std::uint64_t bytes = (3 * 4 + 5 * 2) * 4 + 7 * 2;  // two f32 tensors, one bf16
  progress_calls written;
  {
    weight_progress_scope scope(
        [&](std::uint64_t d, std::uint64_t t) { written.emplace_back(d, t); });
    write_safetensors(file, {{"a", dtype::f32, {3, 4}, {}},
                             {"b", dtype::f32, {5, 2}, {}},
                             {"c", dtype::bf16, {7}, {}}});
  }
  expect_a_whole_walk(written, bytes);
  EXPECT_EQ(written.size(), 4u);  // the start, then one call per tensor

  progress_calls loaded;
  {
    weight_progress_scope scope(
        [&](std::uint64_t d, std::uint64_t t) { loaded.emplace_back(d, t); });
    const weight_store ws = weight_store::open(dir.path());
    (void)ws.load("a", {3, 4});
    (void)ws.load("b", {5, 2});
    (void)ws.load("c", {7});
    (void)ws.load("a", {3, 4});  // a tensor loaded twice (tied weights) counts once at most
  }
  expect_a_whole_walk(loaded, bytes);
  // Outside a scope nobody hears: loading again reports nowhere and does not fail.
  (void)weight_store::open(dir.path()).load("a", {3, 4});
  EXPECT_EQ(loaded.size(), 5u);
}
