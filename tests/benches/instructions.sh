#!/usr/bin/env bash
# Instructions the server executes per request, counted by valgrind's callgrind:
# unlike the scale bench's timings, the count does not move with the machine's load, so
# two builds compare to a percent. User space of the server only (not PostgreSQL, not
# the kernel). Needs valgrind, curl and python3, and a database the scale bench seeded
# and kept:
#
#   BENCH_KEEP_DATABASE=1 BENCH_WORKLOADS=none BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
#     cargo bench -p jobtrack-tests --bench scale        # prints the kept database's URL
#   tests/benches/instructions.sh <that URL> target/release/jobtrack [other builds…]
#
# Each build serves 3 warm-up requests, then 20 counted ones, one at a time.
# WORKLOAD=tracks counts the track list instead of the shortlist (the scale bench's
# queries, as the working group).
set -euo pipefail
url=$1
shift
port=${PORT:-8098}
requests=${REQUESTS:-20}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
track=$(psql "$url" -Atc "SELECT min(id) FROM job_track WHERE title LIKE 'Nat %'")
id=$(python3 -c "import base64; print(base64.urlsafe_b64encode(b'JobTrack:$track').decode().rstrip('='))")
workload=${WORKLOAD:-shortlist}
case $workload in
shortlist) expect='"applications"' ;;
tracks) expect='"competenceNeeds"' ;;
*) echo "WORKLOAD is shortlist or tracks" >&2; exit 2 ;;
esac
shortlist_query='{"query":"query($id: ID!) { node(id: $id) { ... on JobTrack { title applications(first: 50) { edges { node { status version candidate { firstName lastName gender swedishLevel } steps { kind result scheduledAt } } } } } } }","variables":{"id":"'$id'"}}'
tracks_query='{"query":"{ jobTracks(first: 20) { edges { node { title status seats employers { name } competenceNeeds { title positions } } } } }"}'
query_name=${workload}_query
query=${!query_name}
for bin in "$@"; do
  DATABASE_URL="$url?sslmode=disable" JOBTRACK_LISTEN=127.0.0.1:$port \
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out/callgrind.%p" \
    "$bin" serve >"$out/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do curl -sf -o /dev/null "localhost:$port/healthz" && break; sleep 1; done
  token=$(curl -s "localhost:$port/graphql" -H 'content-type: application/json' \
    -d '{"query":"mutation { login(input: {email: \"0-working-group@example.com\", password: \"correct-horse-battery\"}) { accessToken } }"}' |
    python3 -c "import sys, json; print(json.load(sys.stdin)['data']['login']['accessToken'])")
  request() {
    curl -s -o "$out/response.json" "localhost:$port/graphql" -H "authorization: Bearer $token" \
      -H 'content-type: application/json' -d "$query"
  }
  for _ in 1 2 3; do request; done
  grep -q "$expect" "$out/response.json" || { echo "no $workload from $bin" >&2; exit 1; }
  callgrind_control -i on "$server" >/dev/null
  for _ in $(seq 1 "$requests"); do request; done
  callgrind_control -i off "$server" >/dev/null
  callgrind_control -d "$server" >/dev/null
  kill "$server"
  wait "$server" 2>/dev/null || true
  # The dump callgrind_control asked for (the one written at exit counts nothing).
  total=$(callgrind_annotate "$out/callgrind.$server.1" 2>/dev/null |
    awk '/PROGRAM TOTALS/ && !seen { gsub(",", "", $1); print $1; seen = 1 }')
  echo "$bin: $((total / requests)) instructions per $workload request"
  rm -f "$out"/callgrind.*
done
