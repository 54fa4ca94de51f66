// Writes a small, valid HF tokenizer folder (tokenizer.json, tokenizer_config.json,
// special_tokens_map.json) with exactly vocab_size ids, for synthetic test models (make-model).
//   hf::engine::write_synthetic_tokenizer(dir, hf::engine::tokenizer_kind::llama_bpe, 512);
// Deterministic: the same arguments always give byte-identical files. vocab_size must be >= 300.
#pragma once
#include <cstddef>
#include <filesystem>

namespace hf::engine {

enum class tokenizer_kind { byte_level_bpe, wordpiece, llama_bpe };

void write_synthetic_tokenizer(const std::filesystem::path& dir, tokenizer_kind kind,
                               size_t vocab_size);

}  // namespace hf::engine
