// Post-processors of tokenizer.json ("post_processor"): TemplateProcessing, BertProcessing,
// RobertaProcessing, ByteLevel (offset trimming) and Sequence. They add special tokens around the
// encoded sequence(s) and set the type ids; the encodings are concatenated afterwards.
//   auto p = make_post_processor(j["post_processor"]);  p->process(encodings,
//   /*add_special=*/true);
#pragma once
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "engine/tokenizer/tokenizer.hpp"

namespace hf::engine::tok {

class post_processor {
 public:
  virtual ~post_processor() = default;
  // encodings holds one entry per input sequence (1 or 2); may be rewritten in any shape.
  virtual void process(std::vector<encoding>& encodings, bool add_special_tokens) const = 0;
};

// nullptr for a JSON null; throws tokenizer_error for unknown types or bad fields.
std::unique_ptr<post_processor> make_post_processor(const nlohmann::json& j);

// Concatenates encodings (the final step of HF's post-processing).
encoding merge_encodings(std::vector<encoding>&& encodings);
// Appends one special token (offsets (0, 0), sequence id -1, special mask 1).
void push_special(encoding& e, int32_t id, const std::string& token, int32_t type_id);

}  // namespace hf::engine::tok
