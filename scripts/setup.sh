#!/usr/bin/env bash
# patchparty setup: installs the Debian 12 packages it needs, builds, then runs or tests.
#   scripts/setup.sh run    build and run patchpartyd on its built-in defaults (state in ./state)
#   scripts/setup.sh test   build (plain and ASan+UBSan) and run every test
#   scripts/setup.sh package  build the Debian package: build-package/patchparty_VERSION_ARCH.deb
#   scripts/setup.sh deps | build | bench | fuzz [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=$(nproc)

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

build_packages=(cmake ninja-build g++ pkg-config ca-certificates
  prometheus-cpp-dev libcivetweb-dev libcurl4-openssl-dev rapidjson-dev libsqlite3-dev
  libsystemd-dev libyaml-cpp-dev libarchive-dev libcli11-dev libexpected-dev libabsl-dev libssl-dev
  libtomlplusplus-dev libpugixml-dev libre2-dev)
test_packages=(libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev
  dpkg-dev apt-utils rpm db5.3-util python3 python3-apt python3-rpm python3-packaging libapt-pkg-dev librpm-dev
  composer php-cli nodejs sqlite3 prometheus prometheus-alertmanager wrk curl
  systemd dbus dbus-user-session polkitd file openssl ruby-bundler golang-go)

deps() {
  local wanted=("${build_packages[@]}")
  [ "${1:-}" = test ] && wanted+=("${test_packages[@]}")
  # dpkg-shlibdeps fills the package's Depends; CPack finds the binaries with file(1).
  [ "${1:-}" = package ] && wanted+=(dpkg-dev file)
  local missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo_if_needed apt-get update -qq
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  if [ "${1:-}" = test ]; then
    # Debian's nodejs ships npm separately; other nodejs builds bring their own.
    command -v npm >/dev/null || sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm
    # The oracles' npm packages (tests/oracles/package.json): node's semver for npm version
    # semantics, js-yaml and @yarnpkg/lockfile for pnpm's and yarn's lockfiles, CycloneDX's
    # schemas with ajv to validate the SBOM patchparty writes. Installed again when one is missing.
    missing_oracles=$(node -e 'const fs = require("fs");
      for (const d of Object.keys(require("./tests/oracles/package.json").dependencies))
        if (!fs.existsSync("tests/oracles/node_modules/" + d)) console.log(d);')
    [ -z "$missing_oracles" ] || npm ci --prefix tests/oracles --no-audit --no-fund --loglevel=error
  fi
}

configure_and_build() {  # DIR [cmake args...]
  local dir=$1; shift
  cmake -S "$root" -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

case "${1:-}" in
  deps)
    deps test ;;
  build)
    deps
    configure_and_build build -DPP_TESTS=OFF ;;
  package)
    deps package
    configure_and_build build-package -DPP_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
    (cd build-package && cpack -G DEB)
    ls -l build-package/patchparty_*.deb build-package/patchparty-dbgsym_*.ddeb ;;
  run)
    deps
    configure_and_build build-run -DPP_TESTS=OFF
    mkdir -p state
    exec build-run/patchpartyd --state-dir "$root/state" "${@:2}" ;;
  test)
    deps test
    started=$(date +%s)
    configure_and_build build
    (cd build && ctest --output-on-failure -j "$jobs" --timeout 900)
    # The sanitizer build runs the same tests: memory errors and UB fail the run.
    configure_and_build build-asan -DPP_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
    # A small quarantine keeps freed memory from counting as live in the tests that bound RSS.
    (cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:quarantine_size_mb=16 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j "$jobs" --timeout 1800)
    echo "setup: all tests passed in $(( $(date +%s) - started )) s" ;;
  bench)
    deps test
    configure_and_build build-bench -DCMAKE_BUILD_TYPE=Release
    for b in build-bench/tests/*_bench; do echo "== $b"; "$b" "${@:2}"; done
    echo "== tests/bench/http/load.sh"
    tests/bench/http/load.sh build-bench/patchpartyd ;;
  fuzz)
    # Each libFuzzer harness for SECONDS (default 60), with its seeds.
    deps test
    secs=${2:-60}
    CC=clang CXX=clang++ configure_and_build build-fuzz -DPP_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
    for f in build-fuzz/tests/*_fuzz; do
      name=$(basename "$f"); corpus=build-fuzz/corpus/$name; seeds=build-fuzz/seeds/$name
      mkdir -p "$corpus" "$seeds"
      # libFuzzer treats file arguments as "run once": seed files go into a folder of their own.
      find tests/fuzz -name "$name.seeds" -exec cat {} \; | while read -r s; do
        case $s in /*) ;; *) s=$root/../shared/data/$s;; esac
        if [ -d "$s" ]; then find "$s" -type f -size -1M -exec cp -t "$seeds" {} +; elif [ -f "$s" ]; then cp "$s" "$seeds/"; fi
      done
      echo "== $name for ${secs}s"
      "$f" -max_total_time="$secs" -rss_limit_mb=2048 -max_len=1048576 "$corpus" "$seeds"
    done ;;
  *)
    echo "usage: scripts/setup.sh run|test|package|deps|build|bench|fuzz [SECONDS]" >&2
    exit 2 ;;
esac
