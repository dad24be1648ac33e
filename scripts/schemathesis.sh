#!/usr/bin/env bash
# Schemathesis against a running server's OpenAPI document, as a visitor and signed in as each
# role: server errors, schema conformance of every response, documented status codes and
# content types. Any failure fails `make test`.
# Usage: schemathesis.sh SERVER_BIN
set -euo pipefail
cd "$(dirname "$0")/.."
server_bin="$1"
st="${SCHEMATHESIS:-$HOME/.cache/setubashi/venv/bin/schemathesis}"
port="${SCHEMATHESIS_PORT:-3200}"
base="http://127.0.0.1:$port"
data=$(mktemp -d)
password='violet-kettle-monsoon-42'
log="$data/server.log"

SETUBASHI_DATA_DIR="$data" SETUBASHI_ADDR="127.0.0.1:$port" "$server_bin" serve --no-demo >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "$base/healthz" >/dev/null || { echo "server did not start"; cat "$log"; exit 1; }

# a session cookie for a new account: sign up (the response sets the cookie)
cookie_of() { # jar
  awk '$6 == "setubashi_session" { print $7 }' "$1"
}
# each account proves its address with the link in its verification message (read from the
# queue in the SQLite file, as from a mailbox)
confirm_email() { # ADDRESS
  local token
  token=$(python3 -c 'import re, sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute("SELECT body_text FROM mail_jobs WHERE to_address = ? AND kind = ? ORDER BY id DESC", (sys.argv[2], "verify_email")).fetchone()
print(re.search(r"token=([0-9a-f]+)", row[0]).group(1))' "$data/setubashi.sqlite3" "$1")
  curl -fsS -H 'content-type: application/json' "$base/api/v1/email-verification/confirm" -d "{\"token\":\"$token\"}" >/dev/null
}
jar_engineer="$data/engineer.jar"; jar_employer="$data/employer.jar"; jar_admin="$data/admin.jar"
curl -fsS -c "$jar_engineer" -H 'content-type: application/json' "$base/api/v1/users" \
  -d "{\"email\":\"st.engineer@example.in\",\"password\":\"$password\",\"role\":\"engineer\",\"display_name\":\"Schema Engineer\"}" >/dev/null
confirm_email st.engineer@example.in
curl -fsS -b "$jar_engineer" -X PUT -H 'content-type: application/json' "$base/api/v1/me/profile" \
  -d '{"full_name":"Schema Engineer","years_experience":4,"jlpt_level":"N4","date_of_birth":"1996-05-01","skills":[{"skill":"Rust","years":3}]}' >/dev/null
employer=$(curl -fsS -c "$jar_employer" -H 'content-type: application/json' "$base/api/v1/users" \
  -d "{\"email\":\"st.employer@example.jp\",\"password\":\"$password\",\"role\":\"employer\",\"display_name\":\"Schema Employer\",\"organisation\":{\"name_en\":\"Schema K.K.\",\"prefecture\":\"tokyo\",\"sector\":\"software\",\"size\":\"small\"}}")
organisation=$(echo "$employer" | python3 -c 'import json,sys; print(json.load(sys.stdin)["organisation_id"])')
confirm_email st.employer@example.jp
SETUBASHI_DATA_DIR="$data" "$server_bin" org verify "$organisation" >/dev/null
curl -fsS -b "$jar_employer" -H 'content-type: application/json' "$base/api/v1/roles" \
  -d '{"title_en":"Rust engineer","required_skills":[{"skill":"Rust","min_years":1}],"salary_min_jpy":5000000,"salary_max_jpy":8000000,"prefecture":"tokyo","remote_policy":"hybrid","working_language":"english","visa_sponsorship":true,"apply_from_abroad":true}' >/dev/null
SETUBASHI_DATA_DIR="$data" SETUBASHI_ADMIN_PASSWORD="$password" "$server_bin" admin create --email st.admin@example.org >/dev/null
curl -fsS -c "$jar_admin" -H 'content-type: application/json' "$base/api/v1/session" \
  -d "{\"email\":\"st.admin@example.org\",\"password\":\"$password\"}" >/dev/null

failed=0
for who in visitor engineer employer admin; do
  headers=()
  if [ "$who" != visitor ]; then
    headers=(-H "Cookie: setubashi_session=$(cookie_of "$data/$who.jar")")
  fi
  echo "== schemathesis as $who"
  # logging out would end the session the rest of the run uses
  if ! "$st" run "$base/api/v1/openapi.json" \
      --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
      --phases examples,coverage,fuzzing --max-examples "${SCHEMATHESIS_EXAMPLES:-50}" --seed 2026 \
      --workers 1 --request-timeout 20 --exclude-method DELETE --no-color \
      "${headers[@]}"; then
    failed=1
  fi
done
if [ "$failed" = 1 ]; then
  echo "schemathesis found failures"; tail -n 30 "$log"
fi
exit "$failed"
