// HuggingFace tokenizers read from tokenizer.json (+ tokenizer_config.json): BPE (byte-level and
// byte-fallback), WordPiece and Unigram with their normalizers, pre-tokenizers, post-processors and
// decoders.
//   auto tok = hf::engine::tokenizer::from_folder("models/gpt2");
//   std::vector<int32_t> ids = tok.encode("Hello world");  std::string text = tok.decode(ids);
// A tokenizer is immutable after loading; copies share state, concurrent const calls are safe.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/errors.hpp"

namespace hf::engine {

// Thrown for unreadable or unsupported tokenizer files; the message names the file and field.
class tokenizer_error : public model_error {
 public:
  using model_error::model_error;
};

// Full result of an encode: one entry per token in each vector. Offsets are [start, end) in Unicode
// code points of the segment the token came from (sequence_ids says which: 0 = text, 1 = pair,
// -1 = a token added by the post-processor, whose offsets are (0, 0)).
struct encoding {
  std::vector<int32_t> ids;
  std::vector<std::string> tokens;
  std::vector<int32_t> type_ids;
  std::vector<std::pair<size_t, size_t>> offsets;
  std::vector<int32_t> sequence_ids;
  std::vector<uint8_t> special_tokens_mask;
};

class tokenizer {
 public:
  struct impl;

  // Reads dir/tokenizer.json (required), tokenizer_config.json and special_tokens_map.json
  // (optional).
  static tokenizer from_folder(const std::filesystem::path& dir);
  static tokenizer from_json(std::string_view tokenizer_json,
                             std::string_view tokenizer_config_json = "");

  // Invalid UTF-8 in `text` is replaced by U+FFFD (one per maximal invalid subsequence) before
  // encoding, rather than rejected: HF's Python API cannot even receive such input, and a server
  // should not fail a request for one bad byte. add_special_tokens applies the post-processor's
  // template (HF's default). tokenizer.json's truncation and padding sections are not applied.
  std::vector<int32_t> encode(std::string_view text, bool add_special_tokens = true) const;
  encoding encode_full(std::string_view text, std::optional<std::string_view> pair,
                       bool add_special_tokens) const;
  // Decodes with the tokenizer.json decoder; ids outside the vocabulary are skipped.
  std::string decode(std::span<const int32_t> ids, bool skip_special_tokens = true) const;
  // transformers' clean_up_tokenization (" ." -> ".", " n't" -> "n't", ...), applied by
  // transformers when tokenizer_config.json sets clean_up_tokenization_spaces.
  static std::string clean_up_tokenization(std::string_view text);
  bool clean_up_tokenization_spaces() const;

  std::optional<int32_t> bos_id() const;
  std::optional<int32_t> eos_id() const;
  std::optional<int32_t> pad_id() const;
  std::optional<int32_t> unk_id() const;
  std::string bos_token() const;  // "" when none
  std::string eos_token() const;
  std::string pad_token() const;

  // Number of ids (model vocabulary plus added tokens beyond it): the largest id + 1.
  size_t vocab_size() const;
  std::optional<int32_t> token_to_id(std::string_view token) const;
  std::string id_to_token(int32_t id) const;  // "" for unknown ids
  bool is_special(int32_t id) const;
  const std::string& chat_template() const;  // from tokenizer_config.json, "" if none

  // The pipeline itself, for incremental_decoder and tests (tokenizer_impl.hpp; not a stable API).
  const impl& internals() const { return *impl_; }

 private:
  explicit tokenizer(std::shared_ptr<const impl> p) : impl_(std::move(p)) {}
  std::shared_ptr<const impl> impl_;
};

// Streams text while ids arrive one at a time. Concatenating every push() and the final flush()
// gives exactly decode(all ids). push() never returns half a UTF-8 character: bytes of an
// incomplete character (and, for byte-fallback decoders, a run of <0xNN> tokens) wait for the
// next ids. One per stream (not thread-safe); it holds its own cheap copy of the tokenizer.
//   incremental_decoder d(tok);  for (int32_t id : ids) out += d.push(id);  out += d.flush();
class incremental_decoder {
 public:
  explicit incremental_decoder(const tokenizer& tok, bool skip_special_tokens = true);
  std::string push(int32_t id);
  // Emits what is left (an incomplete trailing character as U+FFFD) and resets.
  std::string flush();
  void reset();

 private:
  // Makes ids_[prefix_len_, context_end) the next window's context; context_text is the decode
  // of ids_[0, context_end), a prefix of emitted_.
  void rebase(size_t context_end, std::string_view context_text);

  tokenizer tok_;  // a copy: cheap (shared state) and never dangling
  bool skip_special_;
  std::vector<int32_t> ids_;  // window: context ids, then ids whose text is not fully out yet
  size_t prefix_len_ = 0;     // ids_[0, prefix_len_) are context only
  std::string emitted_;       // the part of decode(ids_) already returned (context text included)
};

}  // namespace hf::engine
