# Compiler flags shared by every hfserve target (added through hfserve_apply_flags).
add_library(hfserve_flags INTERFACE)
target_compile_options(hfserve_flags INTERFACE -Wall -Wextra -Wpedantic
  -Wnon-virtual-dtor -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(hfserve_flags INTERFACE -Wshadow=local)  # GCC's spelling; clang has none
endif()
if(HFSERVE_WERROR)
  target_compile_options(hfserve_flags INTERFACE -Werror)
endif()
if(HFSERVE_NATIVE)
  target_compile_options(hfserve_flags INTERFACE -march=native)
endif()
if(NOT HFSERVE_SANITIZE STREQUAL "")
  string(REPLACE ";" "," _san "${HFSERVE_SANITIZE}")
  target_compile_options(hfserve_flags INTERFACE -fsanitize=${_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(hfserve_flags INTERFACE -fsanitize=${_san})
  target_compile_definitions(hfserve_flags INTERFACE HFSERVE_SANITIZER_BUILD=1)
endif()
# Fuzz builds (the `fuzz` preset, clang only): every library gets libFuzzer's coverage
# instrumentation; the fuzz targets in tests/fuzz link libFuzzer's main (-fsanitize=fuzzer).
if(HFSERVE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "HFSERVE_FUZZ needs clang (the fuzz preset uses clang++-16)")
  endif()
  target_compile_options(hfserve_flags INTERFACE -fsanitize=fuzzer-no-link)
  target_compile_definitions(hfserve_flags INTERFACE HFSERVE_FUZZ_BUILD=1)
endif()
