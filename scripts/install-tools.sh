#!/usr/bin/env bash
# Installs what a fresh machine lacks to build and test Setubashi, from crates.io, npm and
# Debian only (nothing here downloads a binary from anywhere else). Idempotent: each tool is
# installed only when missing or at the wrong version. Usage: install-tools.sh [run|test]
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-run}"
say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

CARGO_LEPTOS_VERSION=0.3.11
CARGO_DENY_VERSION=0.20.2
# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock exactly
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  # `cargo install cargo-leptos --locked` fails on rustc 1.95: its lockfile pins
  # cargo-util-schemas 0.14.2 (needs rustc 1.96). Build it from its source with 0.14.1 instead.
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION from source (takes a while, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked 2>/dev/null || true
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/cargo-leptos-"$CARGO_LEPTOS_VERSION" | head -n1)
    work=$(mktemp -d)
    cp -r "$src" "$work/cargo-leptos"
    (cd "$work/cargo-leptos" \
      && cargo update -p cargo-util-schemas --precise 0.14.1 \
      && CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
         CARGO_TARGET_DIR="$work/target" cargo install --path . --locked)
    rm -rf "$work"
  fi
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# Japanese analysis builds lindera's IPADIC dictionary from Debian's mecab-ipadic sources
if [ ! -d /usr/share/mecab/dic/ipadic ]; then
  say "installing Debian's mecab-ipadic (sources of the Japanese dictionary)"
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q mecab-ipadic
fi

# the application documents (履歴書, 職務経歴書) are set in Debian's IPAex fonts
if [ ! -f /usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf ] \
  || [ ! -f /usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf ]; then
  say "installing Debian's fonts-ipaexfont and fonts-lohit-deva (the documents' Japanese and Devanagari fonts)"
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-ipaexfont fonts-lohit-deva
fi

if [ "$purpose" = test ]; then
  # the documents' tests read the PDFs back with poppler's pdftotext
  if ! command -v pdftotext >/dev/null 2>&1; then
    say "installing Debian's poppler-utils (pdftotext, for the documents' tests)"
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q poppler-utils
  fi
  if ! cargo deny --version 2>/dev/null | grep -q "$CARGO_DENY_VERSION"; then
    say "installing cargo-deny $CARGO_DENY_VERSION"
    cargo install cargo-deny --version "$CARGO_DENY_VERSION" --locked
  fi
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium for the browser tests"
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
  fi
  if ! command -v pg_isready >/dev/null 2>&1; then
    say "installing PostgreSQL client tools"
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-client
  fi
  # schemathesis (PyPI) in a virtual environment beside the build cache
  SCHEMATHESIS_VERSION=4.32.5
  venv="$HOME/.cache/setubashi/venv"
  if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    say "installing schemathesis $SCHEMATHESIS_VERSION"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
  fi
  if ! command -v curl >/dev/null 2>&1; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q curl
  fi
  if [ ! -d node_modules/@playwright/test ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing the browser-test packages (npm ci; Playwright's own browser download is skipped)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
  fi
fi
