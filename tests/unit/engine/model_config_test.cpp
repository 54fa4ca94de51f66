// config.json / generation_config.json / sentence-transformers pooling parsing, with errors that
// name the file and field.
#include "engine/weights/model_config.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/errors.hpp"
#include "engine/weights/generation_config.hpp"
#include "engine/weights/pooling_config.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace hf::engine;
namespace fs = std::filesystem;

using hf::test_support::temp_dir;

TEST(json_config, typed_getters_and_errors_naming_the_field) {
  const auto c = json_config::from_json(
      nlohmann::json::parse(R"({"n": 4, "f": 2.0, "x": 0.5, "s": "gelu", "b": true, "neg": -1, "z": null,
                                "ids": [1, 2], "labels": {"1": "b", "0": "a"}})"),
      "config.json");
  EXPECT_EQ(c.get_size("n"), 4u);
  EXPECT_EQ(c.get_size("f"), 2u);
  EXPECT_EQ(c.get_double("x"), 0.5);
  EXPECT_EQ(c.get_string("s"), "gelu");
  EXPECT_TRUE(c.get_bool("b", false));
  EXPECT_EQ(c.get_size("z", 7), 7u);
  EXPECT_EQ(c.get_id_list("ids"), (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(c.get_label_map("labels").at(1), "b");
  try {
    c.get_size("neg");
    FAIL();
  } catch (const model_error& e) {
    EXPECT_NE(std::string(e.what()).find("config.json"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("\"neg\""), std::string::npos);
  }
  EXPECT_THROW(c.get_size("missing"), model_error);
  EXPECT_THROW(c.get_size("s"), model_error);
  EXPECT_THROW(c.get_bool("n", false), model_error);
  EXPECT_THROW(c.get_size("x"), model_error);
  EXPECT_THROW(json_config::from_json(nlohmann::json::array(), "x"), model_error);
}

TEST(json_config, malformed_file_is_a_model_error) {
  temp_dir d;
  d.write("config.json", "{\"a\": ");
  EXPECT_THROW(json_config::load(d.path() / "config.json"), model_error);
  EXPECT_THROW(json_config::load(d.path() / "absent.json"), model_error);
}

TEST(generation_config, eos_lists_and_fallback_to_config) {
  temp_dir d;
  d.write("config.json", R"({"bos_token_id": 1, "eos_token_id": 2})");
  auto g = load_generation_config(d.path());
  EXPECT_EQ(g.bos_id, 1);
  EXPECT_EQ(g.eos_ids, (std::vector<int32_t>{2}));
  d.write("generation_config.json", R"({"eos_token_id": [7, 8], "do_sample": true, "temperature": 0.6, "top_p": 0.9})");
  g = load_generation_config(d.path());
  EXPECT_EQ(g.eos_ids, (std::vector<int32_t>{7, 8}));
  EXPECT_TRUE(g.do_sample);
  EXPECT_EQ(g.temperature, 0.6);
  EXPECT_EQ(g.top_p, 0.9);
}

TEST(pooling_config, sentence_transformers_modules) {
  temp_dir d;
  EXPECT_FALSE(load_pooling_config(d.path()));
  d.write("modules.json", R"([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
    {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
    {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}])");
  d.write("1_Pooling/config.json", R"({"word_embedding_dimension": 64, "pooling_mode_cls_token": true,
    "pooling_mode_mean_tokens": false})");
  auto p = load_pooling_config(d.path());
  ASSERT_TRUE(p);
  EXPECT_EQ(p->mode, pooling::cls);
  EXPECT_TRUE(p->normalize);
  d.write("1_Pooling/config.json", R"({"pooling_mode_max_tokens": true})");
  EXPECT_THROW(load_pooling_config(d.path()), model_error);
  EXPECT_EQ(parse_pooling("last"), pooling::last);
  EXPECT_FALSE(parse_pooling("max"));
}

}  // namespace
