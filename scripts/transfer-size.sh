#!/usr/bin/env bash
# What a browser downloads to show the first page, as served by a built server: the home page
# and every file it loads (CSS, JavaScript, wasm), each uncompressed, gzip and brotli, and the
# cache policy each comes with. Usage: scripts/transfer-size.sh [server binary]
# (the binary `cargo leptos build` made; run from the project root).
set -euo pipefail
server=${1:-${CARGO_TARGET_DIR:-target}/debug/server}
port=${TRANSFER_PORT:-3190}
work=$(mktemp -d)
cleanup() { [[ -n "${pid:-}" ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

SETUBASHI_DATA_DIR="$work" SETUBASHI_ADDR="127.0.0.1:$port" RUST_LOG=warn \
  "$server" serve --no-demo >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

base="http://127.0.0.1:$port"
size() { # URL ENCODING: bytes on the wire
  curl -s -o /dev/null -w '%{size_download}' -H "Accept-Encoding: $2" "$1"
}
policy() { curl -s -D - -o /dev/null "$1" | tr -d '\r' | sed -n 's/^cache-control: //Ip'; }

page="$base/"
assets=$(curl -s "$page" | grep -oE '(href|src)="/pkg/[^"]+"' | sed -E 's/^(href|src)="//; s/"$//' | sort -u)
printf '%-44s %12s %10s %10s  %s\n' "file" "identity" "gzip" "br" "cache-control"
total_id=0 total_gz=0 total_br=0
for path in / $assets; do
  id=$(size "$base$path" identity); gz=$(size "$base$path" gzip); br=$(size "$base$path" br)
  total_id=$((total_id + id)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
  printf '%-44s %12s %10s %10s  %s\n' "$path" "$id" "$gz" "$br" "$(policy "$base$path")"
done
printf '%-44s %12s %10s %10s\n' "total" "$total_id" "$total_gz" "$total_br"
# seconds to download at 9 Mbit/s (the issue's slow link), brotli
awk -v b="$total_br" 'BEGIN { printf "at 9 Mbit/s: %.1f s to download (brotli)\n", b * 8 / 9e6 }'
