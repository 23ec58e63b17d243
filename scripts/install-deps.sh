#!/usr/bin/env bash
# Installs the Debian 12 packages KernelCraft builds against, skipping those already present.
# Nothing else is downloaded, at build or at run time.
#   --tests   also the packages only the test suite needs (Chromium for the report render test,
#             clang's sanitizer and libFuzzer runtimes for the fuzz targets)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  llvm-16-dev libmlir-16-dev mlir-16-tools clang-16 lld-16
  verilator
  libcurl4-openssl-dev nlohmann-json3-dev libspdlog-dev libcli11-dev libcpp-httplib-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev libpng-dev
)
for arg in "$@"; do
  case "$arg" in
    --tests) packages+=(chromium libclang-rt-16-dev) ;;
    *) echo "install-deps: unknown option $arg (expected --tests)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
