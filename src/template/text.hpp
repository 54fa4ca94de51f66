// UTF-8 text helpers with Python str semantics, for filters and string methods: code-point
// indexing, whitespace stripping, split/splitlines, case mapping (ASCII, Latin-1/Extended-A, Greek,
// Cyrillic), and HTML escaping.
//   text::strip("  hi ") == "hi";  text::split("a b", std::nullopt, -1) == {"a", "b"}
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hf::tmpl::text {

// Decodes the code point at pos and advances pos; invalid bytes decode as themselves (Latin-1).
char32_t decode(std::string_view s, std::size_t& pos);
void append_utf8(std::string& out, char32_t cp);
std::size_t length(std::string_view s);
// Byte offsets where each code point starts, plus s.size() at the end.
std::vector<std::size_t> boundaries(std::string_view s);
bool is_space(char32_t cp);  // Python str.isspace

// str.strip/lstrip/rstrip; without chars, strips Python whitespace.
enum class side { left, right, both };
std::string strip(std::string_view s, const std::optional<std::string>& chars = std::nullopt,
                  side which = side::both);
// str.split(sep, maxsplit) and str.rsplit: without sep, splits on whitespace runs and drops empties.
std::vector<std::string> split(std::string_view s, const std::optional<std::string>& sep,
                               long long maxsplit);
std::vector<std::string> rsplit(std::string_view s, const std::optional<std::string>& sep,
                                long long maxsplit);
// str.splitlines(): \n, \r\n, \r, \v, \f, \x1c-\x1e, \x85, U+2028, U+2029.
std::vector<std::string> splitlines(std::string_view s, bool keepends = false);
// str.replace(old, new, count); count < 0 replaces all.
std::string replace(std::string_view s, std::string_view from, std::string_view to,
                    long long count = -1);

std::string upper(std::string_view s);
std::string lower(std::string_view s);
std::string capitalize(std::string_view s);   // str.capitalize
std::string title_words(std::string_view s);  // str.title (words are runs of cased letters)
std::string jinja_title(std::string_view s);  // Jinja's |title filter (words split at -, space, brackets)
bool is_lower(std::string_view s);            // str.islower
bool is_upper(std::string_view s);            // str.isupper
// Jinja's |escape: & < > " ' as HTML entities.
std::string html_escape(std::string_view s);
// Number of \w+ runs (Jinja's |wordcount).
std::size_t word_count(std::string_view s);

}  // namespace hf::tmpl::text
