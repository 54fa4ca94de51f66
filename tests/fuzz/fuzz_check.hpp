// Assertions for fuzz targets: a broken invariant aborts with a message, which libFuzzer
// reports as a crash and saves the input for (unlike assert, it is never compiled out).
//   FUZZ_CHECK(consumed <= bytes.size(), "the parser consumed more than it was given");
#pragma once
#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond, what)                                                                    \
  do {                                                                                            \
    if (!(cond)) {                                                                                \
      std::fprintf(stderr, "fuzz invariant broken at %s:%d: %s (%s)\n", __FILE__, __LINE__, what, \
                   #cond);                                                                        \
      std::abort();                                                                               \
    }                                                                                             \
  } while (0)
