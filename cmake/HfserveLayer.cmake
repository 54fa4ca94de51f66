# hfserve_layer(NAME DIR [DEPS targets...]): one static library per folder under src/.
# Sources are globbed so that adding a file needs no CMake edit; headers are included as
# "layer/file.hpp" relative to src/.
function(hfserve_layer name dir)
  cmake_parse_arguments(L "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE _srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${dir}/*.cpp)
  if(_srcs)
    add_library(${name} STATIC ${_srcs})
    target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR}/src)
    target_link_libraries(${name} PUBLIC hfserve_flags ${L_DEPS})
  else()
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${CMAKE_SOURCE_DIR}/src)
    target_link_libraries(${name} INTERFACE hfserve_flags ${L_DEPS})
  endif()
endfunction()

# hfserve_test(NAME DIR DEPS ... [LABELS ...]): one GoogleTest binary from tests/DIR/*.cpp.
function(hfserve_test name dir)
  cmake_parse_arguments(T "" "" "DEPS;LABELS" ${ARGN})
  file(GLOB _srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/${dir}/*.cpp)
  if(NOT _srcs)
    return()
  endif()
  add_executable(${name} ${_srcs})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/tests ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    HFSERVE_FIXTURES_DIR="${HFSERVE_FIXTURES_DIR}" HFSERVE_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    HFSERVE_BINARY="$<TARGET_FILE:hfserve>")
  gtest_discover_tests(${name} PROPERTIES LABELS "${T_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()
