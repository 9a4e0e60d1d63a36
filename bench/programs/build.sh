#!/usr/bin/env bash
# Builds the bench/seeds.ts programs from C libraries vendored in crates.io crates (cargo fetch brings the
# pinned sources into ~/.cargo/registry): crypto.wasm (Monocypher 4.0.2 via monocypher-sys 4.0.2) and
# sqlite.wasm (SQLite via libsqlite3-sys 0.40.0, with the crate's wasm32-wasi flags). The .wasm files are
# committed; run this only to rebuild them. Needs clang, lld and wasi-libc (Debian: clang lld wasi-libc).
# OPT (default -O2) and OUT (default this folder) build other variants: bench/optimisation-check.ts uses -O0.
set -euo pipefail
cd "$(dirname "$0")"
OPT=${OPT:--O2}
OUT=${OUT:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src"
echo 'fn main() {}' >"$tmp/src/main.rs"
cat >"$tmp/Cargo.toml" <<'TOML'
[package]
name = "seeds-sources"
version = "0.0.0"
edition = "2021"
[dependencies]
monocypher-sys = "=4.0.2"
libsqlite3-sys = { version = "=0.40.0", features = ["bundled"] }
TOML
cargo fetch --quiet --manifest-path "$tmp/Cargo.toml"
registry=$(dirname "$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/monocypher-sys-4.0.2)")
mono="$registry/monocypher-sys-4.0.2/Monocypher/src"
lite="$registry/libsqlite3-sys-0.40.0/sqlite3"
W=(clang --target=wasm32-wasi --sysroot=/usr "$OPT" -Wl,--strip-all)
"${W[@]}" -I"$mono" -I"$mono/optional" -o "$OUT/crypto.wasm" crypto.c "$mono/monocypher.c" "$mono/optional/monocypher-ed25519.c"
"${W[@]}" -I"$lite" -DSQLITE_THREADSAFE=0 -DLONGDOUBLE_TYPE=double -D_WASI_EMULATED_MMAN -D_WASI_EMULATED_GETPID \
  -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OS_OTHER=1 \
  -DSQLITE_TEMP_STORE=3 -o "$OUT/sqlite.wasm" sqlite.c "$lite/sqlite3.c" "$lite/wasm32-wasi-vfs.c" \
  -lwasi-emulated-mman -lwasi-emulated-getpid -lwasi-emulated-signal -lwasi-emulated-process-clocks
ls -l "$OUT/crypto.wasm" "$OUT/sqlite.wasm"
