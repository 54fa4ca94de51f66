# cmake -DIN=file -DOUT=file.cpp -DNAME=function -P embed_text.cmake: writes a C++ source whose
# function NAME() (namespace hf::app, declared in app/web/web_page.hpp) returns IN's bytes as a
# std::string_view, so that static files (the web page) ship inside the binary, with no download
# and no file to find at run time.
file(READ "${IN}" content)
string(FIND "${content}" ")hf_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw-string delimiter )hf_embed\"")
endif()
file(WRITE "${OUT}" "// Generated from ${IN} by cmake/embed_text.cmake; do not edit.\n#include \"app/web/web_page.hpp\"\n\nnamespace hf::app {\nstd::string_view ${NAME}() {\n  static constexpr std::string_view text = R\"hf_embed(")
file(APPEND "${OUT}" "${content}")
file(APPEND "${OUT}" ")hf_embed\";\n  return text;\n}\n}  // namespace hf::app\n")
