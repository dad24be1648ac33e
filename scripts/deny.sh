#!/usr/bin/env bash
# Supply-chain checks offline: advisories from the RustSec snapshot in ../shared/advisory-db,
# licences, bans and sources (deny.toml). cargo-deny wants its database as a git repository under
# a name derived from the database URL, so the snapshot is copied into a scratch directory first.
set -euo pipefail
cd "$(dirname "$0")/.."
snapshot="${ADVISORY_DB:-../shared/advisory-db}"
if [ ! -d "$snapshot" ]; then
  echo "no advisory snapshot at $snapshot" >&2
  exit 1
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
db="$scratch/advisory-db-3157b0e258782691"
cp -r "$snapshot" "$db"
chmod -R u+w "$db"
git -C "$db" init -q
git -C "$db" add -A
git -C "$db" -c user.email=ci@localhost -c user.name=ci commit -qm snapshot
sed "s|@ADVISORY_DB_PATH@|$scratch|" deny.toml > "$scratch/deny.toml"
# the crates must be in the local registry for an offline check
cargo fetch --locked
cargo deny --offline --config "$scratch/deny.toml" check advisories licenses bans sources
