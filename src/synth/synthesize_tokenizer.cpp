// write_synthetic_tokenizer: small but real tokenizer folders for synthetic models. Merges and
// word pieces are learned from synth_corpus() (plain BPE training: most frequent pair first, ties
// by the pair's strings), so the files are deterministic and look like the Hub's.
#include "synth/synthesize_tokenizer.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_set>

#include "engine/errors.hpp"
#include "engine/tokenizer/byte_level.hpp"
#include "engine/tokenizer/pre_tokenizers.hpp"
#include "engine/tokenizer/regex.hpp"
#include "engine/tokenizer/tokenizer.hpp"
#include "engine/tokenizer/unicode.hpp"
#include "engine/tokenizer/utf8.hpp"
#include "synth/synth_corpus.hpp"

namespace hf::engine {
namespace {

using ojson = nlohmann::ordered_json;
using symbols = std::vector<std::string>;

// Tokens in id order, with O(1) membership (ordered_json lookups are linear).
class vocab_builder {
 public:
  // Appends token with the next free id; no-op if already present.
  void add(const std::string& token) {
    if (seen_.insert(token).second) tokens_.push_back(token);
  }
  bool contains(const std::string& token) const { return seen_.count(token) != 0; }
  size_t size() const { return tokens_.size(); }
  ojson to_json() const {
    ojson v = ojson::object();
    // Appending to the underlying vector directly: the tokens are distinct, and operator[]
    // would search the whole object for every insertion.
    auto& obj = v.get_ref<ojson::object_t&>();
    obj.reserve(tokens_.size());
    for (size_t i = 0; i < tokens_.size(); ++i) obj.emplace_back(tokens_[i], ojson(i));
    return v;
  }

 private:
  std::vector<std::string> tokens_;
  std::unordered_set<std::string> seen_;
};

// Grows `vocab` (token -> id, ids in insertion order) by BPE merges over `words` until it has
// `target` entries or no pair occurs twice. Pairs with a symbol outside the vocabulary never merge.
std::vector<std::pair<std::string, std::string>> learn_merges(std::map<symbols, size_t> words,
                                                              vocab_builder& vocab, size_t target) {
  std::vector<std::pair<std::string, std::string>> merges;
  while (vocab.size() < target) {
    std::map<std::pair<std::string, std::string>, size_t> counts;
    for (const auto& [w, n] : words) {
      for (size_t i = 0; i + 1 < w.size(); ++i) {
        if (vocab.contains(w[i]) && vocab.contains(w[i + 1])) counts[{w[i], w[i + 1]}] += n;
      }
    }
    const std::pair<std::string, std::string>* best = nullptr;
    size_t best_count = 1;
    for (const auto& [p, n] : counts) {
      if (n > best_count) {  // std::map order breaks ties: the smallest pair wins
        best = &p;
        best_count = n;
      }
    }
    if (!best) break;
    auto pair = *best;
    std::string merged = pair.first + pair.second;
    merges.push_back(pair);
    vocab.add(merged);
    std::map<symbols, size_t> next;
    for (const auto& [w, n] : words) {
      symbols out;
      for (size_t i = 0; i < w.size(); ++i) {
        if (i + 1 < w.size() && w[i] == pair.first && w[i + 1] == pair.second) {
          out.push_back(merged);
          ++i;
        } else {
          out.push_back(w[i]);
        }
      }
      next[out] += n;
    }
    words.swap(next);
  }
  return merges;
}

ojson merges_json(const std::vector<std::pair<std::string, std::string>>& merges) {
  ojson out = ojson::array();
  for (const auto& [a, b] : merges) out.push_back(a + " " + b);
  return out;
}

ojson added_token(int id, const std::string& content) {
  return ojson{{"id", id},        {"content", content},  {"single_word", false}, {"lstrip", false},
               {"rstrip", false}, {"normalized", false}, {"special", true}};
}

void pad_vocab(vocab_builder& vocab, size_t target, const std::string& prefix,
               const std::string& suffix) {
  for (size_t i = 0; vocab.size() < target; ++i) {
    vocab.add(prefix + std::to_string(i) + suffix);
  }
}

symbols chars_of(std::string_view s) {
  symbols out;
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    i += tok::utf8::char_len(static_cast<unsigned char>(s[i]));
    out.emplace_back(s.substr(start, i - start));
  }
  return out;
}

struct files {
  ojson tokenizer, config, special_map;
};

files byte_level_bpe(size_t vocab_size) {
  if (vocab_size < 258)
    throw input_error("synthetic byte-level BPE tokenizer: vocab_size must be >= 258");
  vocab_builder vocab;
  for (int b = 0; b < 256; ++b)
    vocab.add(std::string(tok::byte_level::byte_to_utf8(static_cast<uint8_t>(b))));
  std::map<symbols, size_t> words;
  tok::regex split(tok::gpt2_split_regex);
  std::string_view text = tok::synth_corpus();
  split.for_each_match(text, [&](size_t b, size_t e) {
    symbols w;
    for (char c : text.substr(b, e - b))
      w.emplace_back(tok::byte_level::byte_to_utf8(static_cast<uint8_t>(c)));
    ++words[w];
  });
  auto merges = learn_merges(words, vocab, vocab_size - 1);
  pad_vocab(vocab, vocab_size - 1, "<|unused_", "|>");
  const std::string eot = "<|endoftext|>";
  vocab.add(eot);
  ojson byte_level{{"type", "ByteLevel"},
                   {"add_prefix_space", false},
                   {"trim_offsets", true},
                   {"use_regex", true}};
  files f;
  f.tokenizer =
      ojson{{"version", "1.0"},
            {"truncation", nullptr},
            {"padding", nullptr},
            {"added_tokens", ojson::array({added_token(static_cast<int>(vocab_size - 1), eot)})},
            {"normalizer", nullptr},
            {"pre_tokenizer", byte_level},
            {"post_processor", byte_level},
            {"decoder", byte_level},
            {"model",
             {{"type", "BPE"},
              {"dropout", nullptr},
              {"unk_token", nullptr},
              {"continuing_subword_prefix", ""},
              {"end_of_word_suffix", ""},
              {"fuse_unk", false},
              {"byte_fallback", false},
              {"vocab", vocab.to_json()},
              {"merges", merges_json(merges)}}}};
  f.config = ojson{{"add_bos_token", false}, {"add_prefix_space", false},
                   {"bos_token", eot},       {"clean_up_tokenization_spaces", false},
                   {"eos_token", eot},       {"model_max_length", 1024},
                   {"pad_token", nullptr},   {"tokenizer_class", "GPT2Tokenizer"},
                   {"unk_token", eot}};
  f.special_map = ojson{{"bos_token", eot}, {"eos_token", eot}, {"unk_token", eot}};
  return f;
}

// A Zephyr/TinyLlama-style template, as the llama-chat fixture's.
constexpr const char* llama_chat_template =
    "{% for message in messages %}\n"
    "{% if message['role'] == 'user' %}\n"
    "{{ '<|user|>\\n' + message['content'] + eos_token }}\n"
    "{% elif message['role'] == 'system' %}\n"
    "{{ '<|system|>\\n' + message['content'] + eos_token }}\n"
    "{% elif message['role'] == 'assistant' %}\n"
    "{{ '<|assistant|>\\n'  + message['content'] + eos_token }}\n"
    "{% endif %}\n"
    "{% if loop.last and add_generation_prompt %}\n"
    "{{ '<|assistant|>' }}\n"
    "{% endif %}\n"
    "{% endfor %}";

files llama_bpe(size_t vocab_size) {
  if (vocab_size < 260)
    throw input_error("synthetic llama BPE tokenizer: vocab_size must be >= 260");
  const std::string space = "\u2581";
  vocab_builder vocab;
  for (const char* s : {"<unk>", "<s>", "</s>"}) vocab.add(s);
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    vocab.add(name);
  }
  // Words as SentencePiece sees them: "▁word" for each space-separated word of each line.
  std::map<symbols, size_t> words;
  std::map<std::string, size_t> char_counts;
  std::string_view text = tok::synth_corpus();
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find_first_of(" \n", pos);
    if (end == std::string_view::npos) end = text.size();
    if (end > pos) {
      symbols w = chars_of(space);
      for (auto& c : chars_of(text.substr(pos, end - pos))) w.push_back(std::move(c));
      for (const auto& c : w) ++char_counts[c];
      ++words[w];
    }
    pos = end + 1;
  }
  for (char c = ' ' + 1; c <= '~'; ++c) char_counts[std::string(1, c)] += 0;
  // Base pieces, most frequent first (▁ and letters before rare punctuation).
  std::vector<std::pair<std::string, size_t>> base(char_counts.begin(), char_counts.end());
  std::stable_sort(base.begin(), base.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [c, n] : base) {
    if (vocab.size() >= vocab_size) break;
    vocab.add(c);
  }
  auto merges = learn_merges(words, vocab, vocab_size);
  pad_vocab(vocab, vocab_size, "<unused_", ">");
  files f;
  ojson added =
      ojson::array({added_token(0, "<unk>"), added_token(1, "<s>"), added_token(2, "</s>")});
  f.tokenizer = ojson{
      {"version", "1.0"},
      {"truncation", nullptr},
      {"padding", nullptr},
      {"added_tokens", added},
      {"normalizer",
       {{"type", "Sequence"},
        {"normalizers",
         ojson::array(
             {{{"type", "Prepend"}, {"prepend", space}},
              {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", space}}})}}},
      {"pre_tokenizer", nullptr},
      {"post_processor",
       {{"type", "TemplateProcessing"},
        {"single", ojson::array({{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}},
                                 {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}})},
        {"pair", ojson::array({{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}},
                               {{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
                               {{"SpecialToken", {{"id", "<s>"}, {"type_id", 1}}}},
                               {{"Sequence", {{"id", "B"}, {"type_id", 1}}}}})},
        {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {1}}, {"tokens", {"<s>"}}}}}}}},
      {"decoder",
       {{"type", "Sequence"},
        {"decoders",
         ojson::array({{{"type", "Replace"}, {"pattern", {{"String", space}}}, {"content", " "}},
                       {{"type", "ByteFallback"}},
                       {{"type", "Fuse"}},
                       {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}}})}}},
      {"model",
       {{"type", "BPE"},
        {"dropout", nullptr},
        {"unk_token", "<unk>"},
        {"continuing_subword_prefix", nullptr},
        {"end_of_word_suffix", nullptr},
        {"fuse_unk", true},
        {"byte_fallback", true},
        {"vocab", vocab.to_json()},
        {"merges", merges_json(merges)}}}};
  f.config = ojson{{"add_bos_token", true},
                   {"add_eos_token", false},
                   {"bos_token", "<s>"},
                   {"chat_template", llama_chat_template},
                   {"clean_up_tokenization_spaces", false},
                   {"eos_token", "</s>"},
                   {"model_max_length", 2048},
                   {"pad_token", "</s>"},
                   {"padding_side", "left"},
                   {"tokenizer_class", "LlamaTokenizer"},
                   {"unk_token", "<unk>"}};
  f.special_map = ojson{
      {"bos_token", "<s>"}, {"eos_token", "</s>"}, {"pad_token", "</s>"}, {"unk_token", "<unk>"}};
  return f;
}

files wordpiece(size_t vocab_size) {
  if (vocab_size < 64) throw input_error("synthetic WordPiece tokenizer: vocab_size must be >= 64");
  vocab_builder vocab;
  for (const char* s : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) vocab.add(s);
  // Lowercased words and punctuation as BertPreTokenizer would split them.
  std::map<std::string, size_t> word_counts, suffix_counts;
  std::set<std::string> chars;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    ++word_counts[word];
    auto cs = chars_of(word);
    for (size_t len = 2; len <= 4 && len < cs.size(); ++len) {
      std::string suffix;
      for (size_t k = cs.size() - len; k < cs.size(); ++k) suffix += cs[k];
      ++suffix_counts["##" + suffix];
    }
    word.clear();
  };
  std::string_view text = tok::synth_corpus();
  for (size_t i = 0; i < text.size();) {
    char32_t c = tok::utf8::decode(text, i);
    std::u32string lower;
    tok::unicode::append_lowercase(c, lower);
    for (char32_t l : lower) {
      if (tok::unicode::is_whitespace(l) || tok::unicode::is_bert_punctuation(l)) {
        flush();
        if (!tok::unicode::is_whitespace(l)) ++word_counts[tok::utf8::encode(l)];
        continue;
      }
      tok::utf8::append(word, l);
    }
  }
  flush();
  for (char c = '!'; c <= '~'; ++c) {
    if (c < 'A' || c > 'Z') chars.insert(std::string(1, c));
  }
  for (const auto& c : chars) {
    if (vocab.size() < vocab_size) vocab.add(c);
  }
  for (const auto& c : chars) {
    bool alnum = std::isalnum(static_cast<unsigned char>(c[0])) != 0;
    if (alnum && vocab.size() < vocab_size) vocab.add("##" + c);
  }
  // Then words and suffixes, most frequent first, alternating so both kinds make it in.
  auto by_count = [](const std::map<std::string, size_t>& m) {
    std::vector<std::pair<std::string, size_t>> v(m.begin(), m.end());
    std::stable_sort(v.begin(), v.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    return v;
  };
  auto ws = by_count(word_counts), ss = by_count(suffix_counts);
  for (size_t i = 0; vocab.size() < vocab_size && (i < ws.size() || i < ss.size()); ++i) {
    if (i < ws.size()) vocab.add(ws[i].first);
    if (i < ss.size() && vocab.size() < vocab_size) vocab.add(ss[i].first);
  }
  pad_vocab(vocab, vocab_size, "[unused", "]");
  ojson added =
      ojson::array({added_token(0, "[PAD]"), added_token(1, "[UNK]"), added_token(2, "[CLS]"),
                    added_token(3, "[SEP]"), added_token(4, "[MASK]")});
  files f;
  f.tokenizer =
      ojson{{"version", "1.0"},
            {"truncation", nullptr},
            {"padding", nullptr},
            {"added_tokens", added},
            {"normalizer",
             {{"type", "BertNormalizer"},
              {"clean_text", true},
              {"handle_chinese_chars", true},
              {"strip_accents", nullptr},
              {"lowercase", true}}},
            {"pre_tokenizer", {{"type", "BertPreTokenizer"}}},
            {"post_processor",
             {{"type", "TemplateProcessing"},
              {"single", ojson::array({{{"SpecialToken", {{"id", "[CLS]"}, {"type_id", 0}}}},
                                       {{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
                                       {{"SpecialToken", {{"id", "[SEP]"}, {"type_id", 0}}}}})},
              {"pair", ojson::array({{{"SpecialToken", {{"id", "[CLS]"}, {"type_id", 0}}}},
                                     {{"Sequence", {{"id", "A"}, {"type_id", 0}}}},
                                     {{"SpecialToken", {{"id", "[SEP]"}, {"type_id", 0}}}},
                                     {{"Sequence", {{"id", "B"}, {"type_id", 1}}}},
                                     {{"SpecialToken", {{"id", "[SEP]"}, {"type_id", 1}}}}})},
              {"special_tokens",
               {{"[CLS]", {{"id", "[CLS]"}, {"ids", {2}}, {"tokens", {"[CLS]"}}}},
                {"[SEP]", {{"id", "[SEP]"}, {"ids", {3}}, {"tokens", {"[SEP]"}}}}}}}},
            {"decoder", {{"type", "WordPiece"}, {"prefix", "##"}, {"cleanup", true}}},
            {"model",
             {{"type", "WordPiece"},
              {"unk_token", "[UNK]"},
              {"continuing_subword_prefix", "##"},
              {"max_input_chars_per_word", 100},
              {"vocab", vocab.to_json()}}}};
  f.config = ojson{{"clean_up_tokenization_spaces", true},
                   {"cls_token", "[CLS]"},
                   {"do_lower_case", true},
                   {"mask_token", "[MASK]"},
                   {"model_max_length", 512},
                   {"pad_token", "[PAD]"},
                   {"sep_token", "[SEP]"},
                   {"strip_accents", nullptr},
                   {"tokenize_chinese_chars", true},
                   {"tokenizer_class", "BertTokenizer"},
                   {"unk_token", "[UNK]"}};
  f.special_map = ojson{{"cls_token", "[CLS]"},
                        {"mask_token", "[MASK]"},
                        {"pad_token", "[PAD]"},
                        {"sep_token", "[SEP]"},
                        {"unk_token", "[UNK]"}};
  return f;
}

void write(const std::filesystem::path& p, const ojson& j) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  if (!out) throw model_error("write_synthetic_tokenizer: cannot write " + p.string());
  out << j.dump(2) << '\n';
  if (!out) throw model_error("write_synthetic_tokenizer: error writing " + p.string());
}

}  // namespace

void write_synthetic_tokenizer(const std::filesystem::path& dir, tokenizer_kind kind,
                               size_t vocab_size) {
  files f;
  switch (kind) {
    case tokenizer_kind::byte_level_bpe:
      f = byte_level_bpe(vocab_size);
      break;
    case tokenizer_kind::llama_bpe:
      f = llama_bpe(vocab_size);
      break;
    case tokenizer_kind::wordpiece:
      f = wordpiece(vocab_size);
      break;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw model_error("write_synthetic_tokenizer: cannot create " + dir.string() + ": " +
                      ec.message());
  write(dir / "tokenizer.json", f.tokenizer);
  write(dir / "tokenizer_config.json", f.config);
  write(dir / "special_tokens_map.json", f.special_map);
}

}  // namespace hf::engine
