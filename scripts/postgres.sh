#!/usr/bin/env bash
# Makes sure the PostgreSQL server the tests use is up, and drops test databases that a
# crashed earlier run left behind.
set -euo pipefail
url="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! pg_isready -q -d "$url"; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 30); do pg_isready -q -d "$url" && break; sleep 1; done
fi
pg_isready -d "$url"
psql -d "$url" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'setubashi_test_%'" \
  | while read -r db; do psql -q -d "$url" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"; done
