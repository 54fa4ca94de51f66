#include "engine/tokenizer/tokenizer.hpp"

#include "engine/tokenizer/tokenizer_impl.hpp"
#include "engine/tokenizer/utf8.hpp"

namespace hf::engine {
namespace {

// Converts byte offsets of `text` to code point offsets as HF's BytesToCharOffsetConverter:
// an end inside a character maps to that character's index.
class char_offsets {
 public:
  explicit char_offsets(std::string_view text) : map_(text.size()) {
    uint32_t c = 0;
    for (size_t i = 0; i < text.size();) {
      size_t n = tok::utf8::char_len(static_cast<unsigned char>(text[i]));
      for (size_t k = 0; k < n && i + k < text.size(); ++k) map_[i + k] = c;
      i += n;
      ++c;
    }
  }
  std::pair<size_t, size_t> convert(uint32_t begin, uint32_t end) const {
    if (begin >= map_.size()) return {begin, end};
    size_t b = map_[begin];
    size_t e = end < map_.size() ? map_[end] : (end > 0 ? map_[end - 1] + 1 : b + 1);
    return {b, e};
  }

 private:
  std::vector<uint32_t> map_;
};

}  // namespace

encoding tokenizer::impl::encode_sequence(std::string_view text, int32_t segment,
                                          bool details) const {
  encoding out;
  tok::pre_tokenized pieces = added.extract_and_normalize(text, 0, text.size(), normalizer.get(),
                                                          details || needs_alignments);
  if (pre_tokenizer) pre_tokenizer->pre_tokenize(pieces);
  std::optional<char_offsets> conv;
  if (details) conv.emplace(text);
  std::vector<tok::model_token> produced;
  for (const tok::piece& p : pieces) {
    produced.clear();
    if (p.added_id >= 0) {
      produced.push_back({p.added_id, 0, static_cast<uint32_t>(p.text.size())});
    } else {
      model->tokenize(p.text.get(), produced);
    }
    for (const tok::model_token& t : produced) {
      out.ids.push_back(t.id);
      if (!details) continue;
      if (p.added_id >= 0) {
        out.tokens.push_back(p.text.get());
      } else {
        const std::string* s = model->id_to_token(t.id);
        out.tokens.push_back(s ? *s : std::string());
      }
      tok::alignment a = p.text.to_original(t.begin, t.end);
      out.offsets.push_back(conv->convert(a.begin, a.end));
    }
  }
  out.type_ids.assign(out.ids.size(), segment);
  out.sequence_ids.assign(out.ids.size(), segment);
  out.special_tokens_mask.assign(out.ids.size(), 0);
  return out;
}

encoding tokenizer::impl::encode(std::string_view text, std::optional<std::string_view> pair,
                                 bool add_special_tokens, bool details) const {
  // Invalid UTF-8 is repaired (U+FFFD per maximal invalid subsequence) before anything else.
  std::string repaired_a, repaired_b;
  if (!tok::utf8::is_valid(text)) {
    repaired_a = tok::utf8::make_valid(text);
    text = repaired_a;
  }
  if (pair && !tok::utf8::is_valid(*pair)) {
    repaired_b = tok::utf8::make_valid(*pair);
    pair = repaired_b;
  }
  std::vector<encoding> encs;
  encs.push_back(encode_sequence(text, 0, details));
  if (pair) encs.push_back(encode_sequence(*pair, 1, details));
  if (post_processor) post_processor->process(encs, add_special_tokens);
  return tok::merge_encodings(std::move(encs));
}

std::optional<int32_t> tokenizer::impl::token_to_id(std::string_view token) const {
  if (auto id = added.token_to_id(token)) return id;
  return model->token_to_id(token);
}

bool tokenizer::impl::is_byte_token(int32_t id) const {
  if (added.find(id)) return false;
  const std::string* s = model->id_to_token(id);
  return s && s->size() == 6 && s->compare(0, 3, "<0x") == 0 && (*s)[5] == '>';
}

bool tokenizer::impl::is_invisible(int32_t id, bool skip_special) const {
  if (const tok::added_token* a = added.find(id))
    return skip_special && added.is_special_content(a->content);
  const std::string* s = model->id_to_token(id);
  return !s || (skip_special && added.is_special_content(*s));
}

std::vector<std::string> tokenizer::impl::tokens_for_decode(std::span<const int32_t> ids,
                                                            bool skip_special) const {
  std::vector<std::string> toks;
  toks.reserve(ids.size());
  for (int32_t id : ids) {
    const std::string* content = nullptr;
    if (const tok::added_token* a = added.find(id)) {
      content = &a->content;
    } else {
      content = model->id_to_token(id);
    }
    if (!content) continue;
    if (skip_special && added.is_special_content(*content)) continue;
    toks.push_back(*content);
  }
  return toks;
}

std::string tokenizer::impl::decode(std::span<const int32_t> ids, bool skip_special) const {
  std::vector<std::string> toks = tokens_for_decode(ids, skip_special);
  std::string out;
  if (decoder) {
    decoder->decode_chain(toks);
    for (const auto& t : toks) out += t;
    return out;
  }
  for (size_t i = 0; i < toks.size(); ++i) {
    if (i) out += ' ';
    out += toks[i];
  }
  return out;
}

std::vector<int32_t> tokenizer::encode(std::string_view text, bool add_special_tokens) const {
  return impl_->encode(text, std::nullopt, add_special_tokens, false).ids;
}

encoding tokenizer::encode_full(std::string_view text, std::optional<std::string_view> pair,
                                bool add_special_tokens) const {
  return impl_->encode(text, pair, add_special_tokens, true);
}

std::string tokenizer::decode(std::span<const int32_t> ids, bool skip_special_tokens) const {
  return impl_->decode(ids, skip_special_tokens);
}

std::string tokenizer::clean_up_tokenization(std::string_view text) {
  // transformers' PreTrainedTokenizerBase.clean_up_tokenization (no " do not" rule, unlike the
  // WordPiece decoder's cleanup).
  std::string s(text);
  auto replace_all = [&](std::string_view from, std::string_view to) {
    std::string out;
    size_t pos = 0;
    for (size_t hit = s.find(from); hit != std::string::npos; hit = s.find(from, pos)) {
      out.append(s, pos, hit - pos);
      out.append(to);
      pos = hit + from.size();
    }
    out.append(s, pos, std::string::npos);
    s.swap(out);
  };
  replace_all(" .", ".");
  replace_all(" ?", "?");
  replace_all(" !", "!");
  replace_all(" ,", ",");
  replace_all(" ' ", "'");
  replace_all(" n't", "n't");
  replace_all(" 'm", "'m");
  replace_all(" 's", "'s");
  replace_all(" 've", "'ve");
  replace_all(" 're", "'re");
  return s;
}

bool tokenizer::clean_up_tokenization_spaces() const {
  return impl_->clean_up_tokenization_spaces;
}
std::optional<int32_t> tokenizer::bos_id() const {
  return impl_->bos_token.empty() ? std::nullopt : token_to_id(impl_->bos_token);
}
std::optional<int32_t> tokenizer::eos_id() const {
  return impl_->eos_token.empty() ? std::nullopt : token_to_id(impl_->eos_token);
}
std::optional<int32_t> tokenizer::pad_id() const {
  return impl_->pad_token.empty() ? std::nullopt : token_to_id(impl_->pad_token);
}
std::optional<int32_t> tokenizer::unk_id() const {
  return impl_->unk_token.empty() ? std::nullopt : token_to_id(impl_->unk_token);
}
std::string tokenizer::bos_token() const {
  return impl_->bos_token;
}
std::string tokenizer::eos_token() const {
  return impl_->eos_token;
}
std::string tokenizer::pad_token() const {
  return impl_->pad_token;
}
size_t tokenizer::vocab_size() const {
  return impl_->vocab_size;
}
std::optional<int32_t> tokenizer::token_to_id(std::string_view token) const {
  return impl_->token_to_id(token);
}

std::string tokenizer::id_to_token(int32_t id) const {
  if (const tok::added_token* a = impl_->added.find(id)) return a->content;
  const std::string* s = impl_->model->id_to_token(id);
  return s ? *s : std::string();
}

bool tokenizer::is_special(int32_t id) const {
  const tok::added_token* a = impl_->added.find(id);
  return a && a->special;
}

const std::string& tokenizer::chat_template() const {
  return impl_->chat_template;
}

}  // namespace hf::engine
