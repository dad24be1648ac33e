#!/usr/bin/env bash
# Backs up Setubashi's PostgreSQL database (DATABASE_URL) to one file in pg_dump's custom format:
# compressed, restorable table by table, and by pg_restore of the same or a later major version.
# The search indexes are not backed up: they are derived from the database and rebuild themselves.
# Usage: DATABASE_URL=postgres://… scripts/backup.sh [FILE]   (default: setubashi-<UTC time>.dump)
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "backup.sh backs up PostgreSQL; the embedded SQLite file is copied with: sqlite3 data/setubashi.sqlite3 '.backup copy.sqlite3'" >&2; exit 2 ;;
esac
file="${1:-setubashi-$(date -u +%Y%m%dT%H%M%SZ).dump}"
# --no-owner/--no-privileges: the restore target may have other role names (a new cluster)
pg_dump --format=custom --no-owner --no-privileges --file="$file" "$DATABASE_URL"
# a backup that cannot be listed is no backup
pg_restore --list "$file" >/dev/null
echo "backed up to $file ($(du -h "$file" | cut -f1))"
