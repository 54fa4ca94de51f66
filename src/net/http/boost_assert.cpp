// Boost's assertion handler for builds without NDEBUG (src/CMakeLists.txt defines
// BOOST_ENABLE_ASSERT_DEBUG_HANDLER for every user of Beast; Release builds compile the
// assertions out as before). It reports and aborts like assert(), except for one assertion of
// Boost 1.74's chunked-body parser that is wrong: with a final chunk "0\r\n" already seen, the
// next read may add a single byte, and `n >= 5` fails although the code after it handles that
// case (Beast PR #2861, fixed in Boost 1.86). The fuzzer found it by feeding bytes one at a time.
#include <boost/assert.hpp>
#include <boost/version.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

bool is_known_false_assertion(const char* expr, const char* file) {
#if BOOST_VERSION < 108600
  return std::strcmp(expr, "n >= 5") == 0 &&
         std::strstr(file, "beast/http/impl/basic_parser.ipp") != nullptr;
#else
  (void)expr;
  (void)file;
  return false;
#endif
}

[[noreturn]] void report(const char* expr, const char* msg, const char* function, const char* file,
                         long line) {
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed%s%s\n", file, line, function, expr,
               msg ? ": " : ".", msg ? msg : "");
  std::abort();
}

}  // namespace

namespace boost {

void assertion_failed(const char* expr, const char* function, const char* file, long line) {
  if (is_known_false_assertion(expr, file)) return;
  report(expr, nullptr, function, file, line);
}

void assertion_failed_msg(const char* expr, const char* msg, const char* function, const char* file,
                          long line) {
  report(expr, msg, function, file, line);
}

}  // namespace boost
