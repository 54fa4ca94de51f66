// Stop strings on streamed text: text is released only once it can no longer be the start of a
// stop string, so a client never sees part of a stop sequence. On a match, the text before it is
// released and the rest discarded.
// Usage: stop_string_matcher m({"\n\n", "END"});  out += m.push(delta); if (m.stopped()) ...; out += m.flush();
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace hf::engine {

class stop_string_matcher {
 public:
  explicit stop_string_matcher(std::vector<std::string> stops);  // empty strings are ignored

  // Appends decoded text; returns what may be emitted now. After a match, stopped() is true and
  // further pushes return "".
  std::string push(std::string_view text);
  // End of generation without a match: releases the held-back text.
  std::string flush();
  bool stopped() const { return stopped_; }
  const std::string& matched() const { return matched_; }  // the stop string that matched

 private:
  std::vector<std::string> stops_;
  std::string pending_;
  std::string matched_;
  bool stopped_ = false;
};

}  // namespace hf::engine
