#include "app/server/demo_models.hpp"

#include "synth/make_model.hpp"

namespace hf::app {

std::vector<std::filesystem::path> ensure_demo_models(const std::filesystem::path& dir) {
  struct demo {
    const char* name;
    engine::make_model_options options;
  };
  // Small enough to create and load in well under a second. The vocabularies are as large as the
  // synthetic tokenizer can fill with real pieces, so the gibberish at least looks like text.
  const demo demos[] = {
      {"demo-chat",
       {.arch = "llama",
        .preset = "tiny",
        .overrides = R"({"hidden_size":256,"intermediate_size":688,"num_hidden_layers":4,)"
                     R"("num_attention_heads":8,"num_key_value_heads":4,"vocab_size":600,)"
                     R"("max_position_embeddings":2048})",
        .seed = 1}},
      {"demo-embed",
       {.arch = "bert",
        .preset = "tiny",
        .overrides = R"({"hidden_size":256,"intermediate_size":1024,"num_hidden_layers":4,)"
                     R"("num_attention_heads":8,"vocab_size":700})",
        .seed = 2}},
      {"demo-rerank",  // a cross-encoder: /v1/rerank and /score on (query, document) pairs
       {.arch = "bert",
        .preset = "cross-encoder-tiny",
        .overrides = R"({"hidden_size":128,"intermediate_size":512,"num_hidden_layers":2,)"
                     R"("num_attention_heads":4,"vocab_size":700})",
        .seed = 3}},
  };
  std::vector<std::filesystem::path> out;
  for (const auto& d : demos) {
    std::filesystem::path p = dir / d.name;
    if (!std::filesystem::exists(p / "config.json")) engine::make_model(p, d.options);
    out.push_back(p);
  }
  return out;
}

}  // namespace hf::app
