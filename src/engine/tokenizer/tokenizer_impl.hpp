// Internal state of hf::engine::tokenizer: the HF pipeline (normalizer, pre-tokenizer, model,
// post-processor, decoder), the added tokens and the tokenizer_config.json facts. Built once by
// tokenizer_loader.cpp and then only read, so concurrent const use needs no locking.
//   const tokenizer::impl& i = tok.internals();  auto e = i.encode_sequence(text, 0, true);
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "engine/tokenizer/added_vocabulary.hpp"
#include "engine/tokenizer/decoders.hpp"
#include "engine/tokenizer/model.hpp"
#include "engine/tokenizer/normalizers.hpp"
#include "engine/tokenizer/post_processors.hpp"
#include "engine/tokenizer/pre_tokenizers.hpp"
#include "engine/tokenizer/tokenizer.hpp"

namespace hf::engine {

struct tokenizer::impl {
  std::unique_ptr<tok::normalizer> normalizer;
  std::unique_ptr<tok::pre_tokenizer> pre_tokenizer;
  std::unique_ptr<tok::model> model;
  std::unique_ptr<tok::post_processor> post_processor;
  std::unique_ptr<tok::decoder> decoder;
  tok::added_vocabulary added;

  std::string chat_template;
  std::string bos_token, eos_token, pad_token, unk_token;
  bool clean_up_tokenization_spaces = false;
  size_t vocab_size = 0;
  // The decoder has a ByteFallback step: a run of <0xNN> tokens renders as a whole, so streaming
  // must wait for the run to end.
  bool byte_fallback_decoder = false;
  // The pipeline looks at where pieces start in the original text (Metaspace prepend_scheme
  // "first"), so alignments are tracked even when no offsets are requested.
  bool needs_alignments = false;

  // Encodes one segment (valid UTF-8). With details, tokens and code point offsets are filled too.
  encoding encode_sequence(std::string_view text, int32_t segment, bool details) const;
  encoding encode(std::string_view text, std::optional<std::string_view> pair,
                  bool add_special_tokens, bool details) const;
  // Token strings of ids as the decoder sees them (unknown ids dropped, specials optionally).
  std::vector<std::string> tokens_for_decode(std::span<const int32_t> ids, bool skip_special) const;
  std::string decode(std::span<const int32_t> ids, bool skip_special) const;
  std::optional<int32_t> token_to_id(std::string_view token) const;
  // The id is a <0xNN> byte token.
  bool is_byte_token(int32_t id) const;
  // decode() produces nothing for this id (unknown, or a special token being skipped).
  bool is_invisible(int32_t id, bool skip_special) const;
};

}  // namespace hf::engine
