#!/usr/bin/env bash
# Load benchmark of patchpartyd's HTTP server (not a test): the real daemon on a free loopback
# port, a state with a realistic number of findings (two real lockfiles against the FriendsOfPHP
# and OSV npm advisories), then Debian's wrk against /metrics and /api/v1/findings at about
# 200 requests a second each. Prints achieved rate, p50/p99 latency and RSS as a table.
#
#   tests/bench/http/load.sh [PATH_TO_PATCHPARTYD]   (default: build-bench/patchpartyd)
#   PP_LOAD_SECONDS=5 tests/bench/http/load.sh       (default 60 s per endpoint)
#   PP_LOAD_RATE=200                                 (target requests a second, all connections)
#   PP_LOAD_CONNECTIONS=2                            (more get closer to the target: see pace.lua)
# Builds nothing; needs wrk and curl.
set -euo pipefail

root=$(cd "$(dirname "$0")/../../.." && pwd)
bin=${1:-$root/build-bench/patchpartyd}
seconds=${PP_LOAD_SECONDS:-60}
rate=${PP_LOAD_RATE:-200}
data=${PP_TEST_DATA_DIR:-$root/../shared/data}
threads=2
connections=${PP_LOAD_CONNECTIONS:-2}

for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "load.sh: $tool is not installed" >&2; exit 2; }
done
[ -x "$bin" ] || { echo "load.sh: no patchpartyd at $bin (build it first)" >&2; exit 2; }
[ -d "$data/friendsofphp" ] || { echo "load.sh: no test data at $data" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/patchparty-load-XXXXXX")
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A port nobody listens on now: bound to 0 by the kernel, read back, released.
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

mkdir -p "$work/shop" "$work/storefront"
cp "$data/lockfiles/symfony-demo-v1.7.1-composer.lock" "$work/shop/composer.lock"
cp "$data/lockfiles/osv-detector-1-package-lock.json" "$work/storefront/package-lock.json"
cat > "$work/pp.yml" <<YAML
listen: 127.0.0.1:$port
host_name: bench-1
log_level: warning
inventory:
  dpkg: {enabled: false}
  rpm: {enabled: false}
  apk: {enabled: false}
projects:
  - name: shop
    path: $work/shop
  - name: storefront
    path: $work/storefront
feeds:
  - kind: friendsofphp
    url: file://$data/friendsofphp
  - kind: osv
    name: osv-npm
    url: file://$data/osv/npm
YAML

"$bin" --config "$work/pp.yml" --state-dir "$work/state" 2>"$work/daemon.log" &
pid=$!

base=http://127.0.0.1:$port
# Ready after the first scan; the findings settle once every feed has been read and rescanned.
findings=0 stable=0
for _ in $(seq 1 600); do
  kill -0 "$pid" 2>/dev/null || { cat "$work/daemon.log" >&2; echo "load.sh: patchpartyd died" >&2; exit 1; }
  if curl -fs "$base/readyz" >/dev/null; then
    n=$(curl -fs "$base/api/v1/findings" | grep -c '"vulnerability":' || true)
    if [ "$n" -gt 0 ] && [ "$n" = "$findings" ]; then
      stable=$((stable + 1))
      [ "$stable" -ge 3 ] && break
    else
      stable=0
    fi
    findings=$n
  fi
  sleep 0.5
done
[ "$stable" -ge 3 ] || { echo "load.sh: findings did not settle (last count $findings)" >&2; exit 1; }

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }  # KiB
findings_bytes=$(curl -fs "$base/api/v1/findings" | wc -c)
metrics_bytes=$(curl -fs "$base/metrics" | wc -c)
delay_ms=$(awk -v c="$connections" -v r="$rate" 'BEGIN { printf "%d", c * 1000 / r }')

echo "$("$bin" --version 2>/dev/null || echo patchpartyd) on 127.0.0.1:$port: $findings findings," \
  "/api/v1/findings $findings_bytes bytes, /metrics $metrics_bytes bytes"
echo "wrk -t$threads -c$connections -d${seconds}s, each connection waiting ${delay_ms} ms between" \
  "requests (target $rate req/s; no keep-alive: one connection per request)"

rows=()
rss_start=$(rss)
for path in /metrics /api/v1/findings; do
  before=$(rss)
  out=$(PP_LOAD_DELAY_MS=$delay_ms wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency \
    -s "$root/tests/bench/http/pace.lua" "$base$path")
  after=$(rss)
  achieved=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  total=$(awk '/requests in/ {print $1}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk -F': *' '/Non-2xx/ {print $2}' <<<"$out")
  sockerr=$(awk '/Socket errors/ {sub(/^ *Socket errors: */, ""); print}' <<<"$out")
  rows+=("$(printf '%-18s %8s %9s %9s %9s %9s %10s %10s  %s' "$path" "$rate" "$achieved" \
    "$total" "$p50" "$p99" "$((before / 1024)) MiB" "$((after / 1024)) MiB" \
    "${non2xx:-0} non-2xx${sockerr:+; socket errors: $sockerr}")")
done

printf '\n%-18s %8s %9s %9s %9s %9s %10s %10s  %s\n' endpoint target achieved requests p50 p99 \
  "RSS before" "RSS after" errors
for r in "${rows[@]}"; do echo "$r"; done
echo "RSS at start of the load $((rss_start / 1024)) MiB ($rss_start KiB), at the end $(($(rss) / 1024)) MiB ($(rss) KiB)"
