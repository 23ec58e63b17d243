# Every dependency is a Debian 12 package (see scripts/install-deps.sh); nothing is downloaded.
set(KC_LLVM_ROOT /usr/lib/llvm-16 CACHE PATH "LLVM/MLIR 16 installation prefix")

find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog 1.10 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(CURL REQUIRED)
find_package(LLVM 16 REQUIRED CONFIG PATHS ${KC_LLVM_ROOT}/lib/cmake/llvm NO_DEFAULT_PATH)
find_package(MLIR REQUIRED CONFIG PATHS ${KC_LLVM_ROOT}/lib/cmake/mlir NO_DEFAULT_PATH)
find_package(verilator REQUIRED HINTS $ENV{VERILATOR_ROOT} /usr/share/verilator)

# Debian builds cpp-httplib as a shared library with TLS, zlib and brotli support; its
# pkg-config file carries the matching defines, which change the library's struct layouts, so
# every user must compile with them.
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
add_library(kc_httplib INTERFACE)
target_link_libraries(kc_httplib INTERFACE PkgConfig::HTTPLIB)

if(KC_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(KC_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()

message(STATUS "KernelCraft: LLVM ${LLVM_PACKAGE_VERSION}, MLIR at ${MLIR_DIR}, Verilator ${verilator_VERSION}")
