# Third-party libraries, all from Debian packages (scripts/install-deps.sh installs them).
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(URING REQUIRED IMPORTED_TARGET liburing)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)  # SHA-256 and the CSPRNG of API keys
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(Boost 1.74 REQUIRED)   # header-only: Beast, Asio buffers (no Asio I/O is used)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)

# OpenBLAS: Debian ships the pthread flavour as the default libopenblas.
find_library(OPENBLAS_LIB NAMES openblas REQUIRED)
find_path(OPENBLAS_INCLUDE NAMES cblas.h PATHS /usr/include/x86_64-linux-gnu/openblas-pthread /usr/include/openblas REQUIRED)
add_library(hfserve_openblas INTERFACE)
target_link_libraries(hfserve_openblas INTERFACE ${OPENBLAS_LIB})
target_include_directories(hfserve_openblas SYSTEM INTERFACE ${OPENBLAS_INCLUDE})

if(HFSERVE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
