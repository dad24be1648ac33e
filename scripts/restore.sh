#!/usr/bin/env bash
# Restores a backup made by backup.sh into DATABASE_URL, replacing what is there, in one
# transaction (all or nothing). Afterwards every instance's search index is ahead of or behind the
# restored database: stop the instances first, and run `server reindex` on each (or delete its
# index directory) before starting it again.
# Usage: DATABASE_URL=postgres://… scripts/restore.sh FILE
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the database to restore into}"
file="${1:?usage: restore.sh FILE}"
pg_restore --list "$file" >/dev/null
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$DATABASE_URL" "$file"
echo "restored $file; now run 'server reindex' on every instance before serving"
