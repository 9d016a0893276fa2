#!/usr/bin/env bash
# make bench: durable POST /v1/messages against a no-op endpoint of the same server, with wrk
# on this machine. Prints messages/s, p50/p99 latency, peak RSS, the ratio, and the daemon's CPU
# time per request by thread (the store writer is the one serial thread).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || { echo "install wrk"; exit 1; }
swift build -c release --product intaked >/dev/null
swift build -c release --product intakectl >/dev/null
BIN=.build/release
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
token=itk_bench$(openssl rand -hex 16)
hash=$(printf %s "$token" | sha256sum | cut -d' ' -f1)
port=$((20000 + RANDOM % 20000))
cat > "$work/intaked.conf" <<CONF
[server]
listen = 127.0.0.1:$port
bench_endpoints = true
connection_limit = 4096
[storage]
data_dir = $work/data
[rules]
dir = $PWD/rules
[key bench]
sha256 = $hash
scopes = ingest
CONF
$BIN/intaked --config "$work/intaked.conf" --demo-slots 2> "$work/intaked.log" &
pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "command: wrk -t$THREADS -c$CONNECTIONS -d$DURATION -s bench/post.lua (release build, synchronous=FULL)"
run() {
  BENCH_PATH=$1 BENCH_TOKEN=$token BENCH_RUN=$2 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s bench/post.lua \
    "http://127.0.0.1:$port" | grep RESULT
}
# CPU time of the daemon's threads (clock ticks), grouped by thread name: the store writer is
# the one serial thread, so its time per message bounds throughput on its own.
cpu() {
  for t in /proc/$pid/task/*; do
    set -- $(cut -d' ' -f14,15 "$t/stat"); echo "$(cat "$t/comm") $(( $1 + $2 ))"
  done | awk '{g = ($1 ~ /^(intake-writer|intake-ckpt|MHD-worker)$/) ? $1 : "other"; s[g] += $2; s["all"] += $2}
              END {for (k in s) print k, s[k]}' | sort
}
per_request() {  # before after requests: microseconds of CPU per request, per thread group
  join <(echo "$1") <(echo "$2") | awk -v n="$3" -v hz="$(getconf CLK_TCK)" '
    {us[$1] = ($3 - $2) * 1e6 / hz / n}
    END {printf "%.0f us of CPU per request: store writer %.0f, checkpointer %.0f, HTTP threads %.0f, other %.0f\n",
         us["all"], us["intake-writer"], us["intake-ckpt"], us["MHD-worker"], us["other"]}'
}
requests() { sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$1"; }
run /v1/bench/noop warm >/dev/null
c0=$(cpu)
noop=$(run /v1/bench/noop noop)
c1=$(cpu)
real=$(run /v1/messages msg)
c2=$(cpu)
rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
decisions=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^intake_decisions_total/ {s+=$2} END {print s+0}')
echo "no-op endpoint:   $noop"
echo "POST /v1/messages: $real"
rps() { sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$1"; }
echo "ratio messages/no-op: $(awk -v a="$(rps "$real")" -v b="$(rps "$noop")" 'BEGIN {printf "%.2f", a/b}')"
echo "daemon CPU, no-op:   $(per_request "$c0" "$c1" "$(requests "$noop")")"
echo "daemon CPU, message: $(per_request "$c1" "$c2" "$(requests "$real")")"
echo "peak RSS: $((rss / 1024)) MiB; decisions recorded: $decisions"
echo "--- voice: ${CALLS:-200} concurrent streamed calls (bench/voice_calls.py)"
python3 bench/voice_calls.py --port "$port" --token "$token" --calls "${CALLS:-200}" || true
kill -TERM $pid; wait $pid || true
"$BIN/intakectl" audit verify --data-dir "$work/data" || true
if "$BIN/intakectl" help 2>&1 | grep -q bench-classify; then
  echo "--- classification"
  sync  # let the kernel write back the runs above first: it competes for the CPU being timed
  sleep 2
  corpus=../shared/corpus/dev.jsonl
  [ -f "$corpus" ] || corpus=Tests/RuleEngineTests/Fixtures/phrasings.jsonl
  "$BIN/intakectl" bench-classify --rules rules --corpus "$corpus"
  "$BIN/intakectl" bench-classify --rules rules --corpus "$corpus" --scale 10
  "$BIN/intakectl" bench-classify --rules rules --corpus "$corpus" --scale 100
fi
