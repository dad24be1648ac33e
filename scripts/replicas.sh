#!/usr/bin/env bash
# Two `server serve` processes on one PostgreSQL database, each with its own data directory (its
# own search index), as two machines would run:
#   1. roles posted through each instance are found on both;
#   2. one instance is killed with SIGKILL in the middle of a bulk of saves made through the
#      other, restarted, and its index must equal the database;
#   3. a third instance is killed with SIGKILL in the middle of its first fill, restarted, and its
#      index must equal the database.
# "Equal" is `server verify-index`: the ids of searchable profiles and published roles in the
# index are those the database says may be found (run on each data directory once stopped).
#
# usage: scripts/replicas.sh path/to/server
set -euo pipefail
cd "$(dirname "$0")/.."
server=$(realpath "${1:?usage: scripts/replicas.sh path/to/server}")
admin_url=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
name="setubashi_replicas_$$"
base=${admin_url%/*}
export DATABASE_URL="$base/$name"
work=$(mktemp -d)
pids=()

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
fail() { printf '\033[1;31mFAIL:\033[0m %s\n' "$*"; for f in "$work"/*.log; do echo "--- $f"; tail -20 "$f"; done; exit 1; }

cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  psql -q "$admin_url" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

psql -q "$admin_url" -c "CREATE DATABASE \"$name\"" >/dev/null
"$server" migrate >/dev/null

# the Japanese dictionary is built once and copied, so each instance starts in a second
SETUBASHI_DATA_DIR="$work/dictionary" "$server" seed --engineers 1500 --roles 200 --applications 0 >/dev/null
mkdir -p "$work/a" "$work/b" "$work/c"
for dir in a b c; do cp -r "$work/dictionary/lindera-ipadic" "$work/$dir/"; done

# start NAME PORT: serves in the background; its pid in $work/NAME.pid
start() {
  SETUBASHI_DATA_DIR="$work/$1" SETUBASHI_ADDR="127.0.0.1:$2" LEPTOS_SITE_ROOT="$work" \
    RUST_LOG=warn "$server" serve --no-demo >>"$work/$1.log" 2>&1 &
  echo $! >"$work/$1.pid"
  pids+=("$!")
}

# ready PORT: waits (up to 60 s) until the instance says it has caught up and is fresh
ready() {
  for _ in $(seq 600); do
    if curl -sf "http://127.0.0.1:$1/readyz" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  fail "the instance on port $1 never became ready"
}

stop() { # NAME: SIGTERM, and wait for it to exit
  local pid; pid=$(cat "$work/$1.pid")
  kill -TERM "$pid"; wait "$pid" || fail "$1 did not exit cleanly on SIGTERM"
}

verify() { # NAME: its index equals the database
  SETUBASHI_DATA_DIR="$work/$1" "$server" verify-index >"$work/$1.verify" 2>&1 \
    || { cat "$work/$1.verify"; fail "the index of $1 differs from the database"; }
  say "$1: $(tail -2 "$work/$1.verify" | tr '\n' ' ')"
}

found_on() { # PORT QUERY ID: whether a role search on PORT finds ID (retrying for up to 5 s)
  for _ in $(seq 50); do
    if curl -sf "http://127.0.0.1:$1/api/v1/roles?q=$2" | grep -q "\"id\":$3[,}]"; then return 0; fi
    sleep 0.1
  done
  return 1
}

say "starting instances A (:3101) and B (:3102) on database $name"
start a 3101; start b 3102
ready 3101; ready 3102

say "an employer signs up on A; its organisation is verified"
jar="$work/cookies"
curl -sf -c "$jar" -b "$jar" -H 'content-type: application/json' \
  -d '{"email":"replicas@example.jp","password":"correct horse battery staple 42","role":"employer","display_name":"Sato","organisation":{"name_ja":"二拠点株式会社","prefecture":"tokyo","sector":"semiconductors","size":"large"}}' \
  http://127.0.0.1:3101/api/v1/users >"$work/employer.json"
organisation=$(grep -o '"organisation_id":[0-9]*' "$work/employer.json" | cut -d: -f2)
"$server" org verify "$organisation" >/dev/null
# the employer proves the address with the link sent to it (read from the queue, as from a mailbox)
token=$(psql -tA "$DATABASE_URL" -c "SELECT body_text FROM mail_jobs WHERE to_address = 'replicas@example.jp' AND kind = 'verify_email'" \
  | grep -o 'token=[0-9a-f]*' | head -1 | cut -d= -f2)
curl -sf -H 'content-type: application/json' -d "{\"token\":\"$token\"}" \
  http://127.0.0.1:3101/api/v1/email-verification/confirm >/dev/null || fail "the employer's address could not be proven"

role() { # PORT TITLE: posts a role through PORT and prints its id
  curl -sf -c "$jar" -b "$jar" -H 'content-type: application/json' \
    -d "{\"title_en\":\"$2\",\"title_ja\":\"$2\",\"required_skills\":[{\"skill\":\"Rust\",\"min_years\":1}],\"min_jlpt\":\"N3\",\"working_language\":\"mixed\",\"salary_min_jpy\":5000000,\"salary_max_jpy\":8000000,\"prefecture\":\"tokyo\",\"remote_policy\":\"hybrid\",\"visa_sponsorship\":true,\"apply_from_abroad\":true}" \
    "http://127.0.0.1:$1/api/v1/roles" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2
}

say "roles posted through each instance are found on both"
through_a=$(role 3101 "Wafer metrology lead")
through_b=$(role 3102 "Gigafactory controls lead")
for port in 3101 3102; do
  found_on $port metrology "$through_a" || fail "the role posted through A is not found on :$port"
  found_on $port gigafactory "$through_b" || fail "the role posted through B is not found on :$port"
done

say "A is killed with SIGKILL in the middle of 300 saves made through B"
(for n in $(seq 300); do role 3102 "Bulk role $n" >/dev/null || true; done) &
bulk=$!
sleep 2
kill -9 "$(cat "$work/a.pid")"
wait "$(cat "$work/a.pid")" 2>/dev/null || true
kill -0 "$bulk" 2>/dev/null || fail "the bulk of saves ended before A was killed: the kill tested nothing"
say "A killed after $(psql -tA "$DATABASE_URL" -c "SELECT count(*) FROM roles WHERE title_en LIKE 'Bulk role %'") of the 300 saves"
start a 3101
wait "$bulk"
ready 3101
found_on 3101 zeppelin "$(role 3102 'Zeppelin integration lead')" || fail "A does not find B's last save after its restart"

say "C is killed with SIGKILL in the middle of its first fill"
start c 3103
for _ in $(seq 600); do [ -f "$work/c/index/meta.json" ] && break; sleep 0.01; done
kill -9 "$(cat "$work/c.pid")"
wait "$(cat "$work/c.pid")" 2>/dev/null || true
[ -f "$work/c/index/meta.json" ] || fail "C was killed before it began to fill its index"
[ ! -f "$work/c/index/setubashi-schema-version" ] || fail "C had finished its fill when it was killed: the kill was too late to test anything"
start c 3103
ready 3103

say "stopping every instance (SIGTERM) and comparing each index with the database"
stop a; stop b; stop c
verify a; verify b; verify c
say "two instances, two kills: every index equals the database"
