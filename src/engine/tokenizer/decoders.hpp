// Decoders of tokenizer.json ("decoder"): ByteLevel, Metaspace, WordPiece, BPEDecoder,
// ByteFallback, Fuse, Strip, Replace, CTC and Sequence. As in HF tokenizers each one rewrites the
// list of token strings (decode_chain) and the final text is their concatenation.
//   auto d = make_decoder(j["decoder"]);  std::vector<std::string> t{"Ġhi"}; d->decode_chain(t);
#pragma once
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace hf::engine::tok {

class decoder {
 public:
  virtual ~decoder() = default;
  virtual void decode_chain(std::vector<std::string>& tokens) const = 0;
};

// nullptr for a JSON null; throws tokenizer_error for unknown types or bad fields.
std::unique_ptr<decoder> make_decoder(const nlohmann::json& j);

// HF WordPiece decoder's cleanup (" ." -> ".", " n't" -> "n't", " do not" -> " don't", ...).
std::string wordpiece_cleanup(std::string s);

}  // namespace hf::engine::tok
