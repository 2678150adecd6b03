#!/usr/bin/env bash
# Builds docker/Dockerfile without pulling from a registry and checks the container end to end:
# base images made from Debian's packages (debootstrap, from the mirror apt already uses), the
# image built on them, then a container with a token and a volume: /health and the image's
# health check, 401 without a token, a run that completes, the non-root user owning /data, the
# server bound to 0.0.0.0, `docker stop` closing the logs, and every run (trained or pushed) back
# after a restart.
#
# Usage (as root, with a running Docker daemon, debootstrap and curl):  docker/smoke-test.sh
#   TRAINSCOPE_SMOKE_KEEP_BASE=1   keep the base images for the next run (and reuse them if there)
#   TRAINSCOPE_SMOKE_MIRROR=URL    the Debian mirror (default: the one apt uses here)
#   TRAINSCOPE_SMOKE_SEED_M2=DIR   the Maven repository copied into the build base image
#                                  (default ~/.m2/repository; empty: the build downloads from
#                                  Maven Central instead, with the host's network)
# Exits 0 after the last check passed, non-zero with a "smoke-test: FAIL: ..." line otherwise.
# Everything it creates is named trainscope-smoke-* and removed on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_ID="$$"
JDK_IMAGE="trainscope-smoke-jdk:bookworm"     # Debian's JDK 17 and Maven: the runtime base
BUILD_IMAGE="trainscope-smoke-build:bookworm" # the same plus a Maven repository: the build base
IMAGE="trainscope-smoke:$RUN_ID"
CONTAINER="trainscope-smoke-$RUN_ID"
VOLUME="trainscope-smoke-$RUN_ID"
KEEP_BASE="${TRAINSCOPE_SMOKE_KEEP_BASE:-0}"
SEED_M2="${TRAINSCOPE_SMOKE_SEED_M2-$HOME/.m2/repository}"
WORK=""
PORT=""
CHECKS=0

say() { echo "smoke-test: $*"; }
pass() {
  CHECKS=$((CHECKS + 1))
  say "ok $CHECKS - $*"
}
fail() {
  echo "smoke-test: FAIL: $*" >&2
  if [[ -n "$PORT" ]] && docker container inspect "$CONTAINER" >/dev/null 2>&1; then
    echo "smoke-test: last lines of the container's log:" >&2
    docker logs --tail 20 "$CONTAINER" 2>&1 | sed 's/^/    /' >&2
  fi
  exit 1
}

# Removes what this run made; a debootstrap target may still have proc/sys mounted when it was
# interrupted, so those are unmounted first and rm never crosses into another file system.
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  docker rm -f -v "$CONTAINER" >/dev/null 2>&1 || true
  docker volume rm -f "$VOLUME" >/dev/null 2>&1 || true
  docker rmi -f "$IMAGE" >/dev/null 2>&1 || true
  # The classic builder leaves the build stage's images behind untagged: remove those the build
  # printed, newest first, and never one with a tag (the base images appear in the log too).
  if [[ -n "$WORK" && -f "$WORK/build.log" ]]; then
    local id
    for id in $(grep -o -- '---> [0-9a-f]\{12\}$' "$WORK/build.log" | awk '{print $2}' | tac); do
      [[ "$(docker image inspect -f '{{len .RepoTags}}' "$id" 2>/dev/null)" == 0 ]] &&
        docker rmi "$id" >/dev/null 2>&1 || true
    done
  fi
  if [[ "$KEEP_BASE" == 1 ]]; then
    docker image inspect "$JDK_IMAGE" >/dev/null 2>&1 &&
      say "kept $JDK_IMAGE and $BUILD_IMAGE (docker rmi them when done)"
  else
    docker rmi -f "$BUILD_IMAGE" "$JDK_IMAGE" >/dev/null 2>&1 || true
  fi
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    findmnt -R -n -l -o TARGET "$WORK/rootfs" 2>/dev/null | sort -r | xargs -r -n1 umount -l || true
    rm -rf --one-file-system "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Polls CMD until it succeeds, at most SECONDS; the description says what was awaited.
wait_until() {
  local what="$1" limit="$2"
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    ((SECONDS < deadline)) || fail "$what: not within ${limit}s"
    sleep 0.5
  done
}

# http METHOD PATH [curl args]: the status code on stdout, the body in $WORK/body.
http() {
  local method="$1" path="$2"
  shift 2
  curl -sS -m 10 -o "$WORK/body" -w '%{http_code}' -X "$method" \
    "http://127.0.0.1:$PORT$path" "$@" 2>"$WORK/curl.err" || true
}
api() {
  local method="$1" path="$2"
  shift 2
  http "$method" "$path" -H "Authorization: Bearer $TRAINSCOPE_TOKEN" "$@"
}
body() { cat "$WORK/body"; }
# field NAME: the value of the first string or number field NAME in the last body (a run's own
# fields come before its nested objects).
field() {
  { grep -o "\"$1\":\"\{0,1\}[^\",}]*" "$WORK/body" || true; } | sed -n '1s/^"[^"]*":"\{0,1\}//p'
}

# The first http(s) URI of a bookworm source with component main, in apt's one-line or deb822
# format, so debootstrap fetches from wherever apt does on this machine.
apt_mirror() {
  local files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  local f
  for f in "${files[@]}"; do
    [[ -f "$f" ]] || continue
    if [[ "$f" == *.sources ]]; then
      awk 'BEGIN { RS = ""; FS = "\n" }
        {
          uris = ""; suites = ""; comps = ""; types = ""; enabled = "yes"
          for (i = 1; i <= NF; i++) {
            if ($i ~ /^[ \t]*#/) continue
            split($i, kv, ":"); key = tolower(kv[1]); value = substr($i, length(kv[1]) + 2)
            if (key == "uris") uris = value; else if (key == "suites") suites = value
            else if (key == "components") comps = value; else if (key == "types") types = value
            else if (key == "enabled") enabled = value
          }
          if (enabled ~ /no/ || (" " types " ") !~ / deb /) next
          if ((" " suites " ") !~ /[ \t]bookworm[ \t]/ || (" " comps " ") !~ /[ \t]main[ \t]/) next
          split(uris, u, /[ \t]+/); for (j in u) if (u[j] ~ /^https?:/) { print u[j]; exit }
        }' "$f"
    else
      sed -e 's/\[[^]]*\]//' "$f" |
        awk '$1 == "deb" && $3 == "bookworm" && $2 ~ /^https?:/ {
               for (i = 4; i <= NF; i++) if ($i == "main") { print $2; exit } }'
    fi
  done | head -1
}

# A port nothing listens on at 127.0.0.1 (other servers share this machine); the container runs
# with the host's network, so that is the port it binds.
free_port() {
  local p _
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    if command -v ss >/dev/null 2>&1; then
      [[ -z "$(ss -Hltn "sport = :$p")" ]] && { echo "$p"; return; }
    elif ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  fail "no free port found on 127.0.0.1"
}

# ---------------------------------------------------------------------------------------------
[[ "$(id -u)" == 0 ]] || fail "run as root (debootstrap and docker need it)"
for tool in docker curl tar findmnt; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool not found (apt-get install -y docker.io curl)"
done
timeout 20 docker info >/dev/null 2>&1 ||
  fail "no Docker daemon answers (start one: dockerd --iptables=false --bridge=none &)"
WORK="$(mktemp -d /var/tmp/trainscope-smoke.XXXXXX)"
TRAINSCOPE_TOKEN="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export TRAINSCOPE_TOKEN

# --- Base images ------------------------------------------------------------------------------
if [[ "$KEEP_BASE" == 1 ]] && docker image inspect "$JDK_IMAGE" "$BUILD_IMAGE" >/dev/null 2>&1; then
  say "reusing $JDK_IMAGE and $BUILD_IMAGE"
else
  command -v debootstrap >/dev/null 2>&1 || fail "debootstrap not found (apt-get install -y debootstrap)"
  # Older ones of ours would only lose their tags to the new ones and linger untagged.
  docker rmi -f "$BUILD_IMAGE" "$JDK_IMAGE" >/dev/null 2>&1 || true
  MIRROR="${TRAINSCOPE_SMOKE_MIRROR:-$(apt_mirror)}"
  [[ -n "$MIRROR" ]] || fail "no bookworm mirror in apt's sources; set TRAINSCOPE_SMOKE_MIRROR"
  say "debootstrap bookworm (openjdk-17-jdk-headless, maven) from $MIRROR"
  timeout 1200 debootstrap --variant=minbase --include=openjdk-17-jdk-headless,maven \
    bookworm "$WORK/rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
    fail "debootstrap failed; see the end of its log:$(echo; tail -5 "$WORK/debootstrap.log")"
  rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
  tar -C "$WORK/rootfs" -c . | timeout 600 docker import - "$JDK_IMAGE" >/dev/null ||
    fail "docker import of the debootstrap tree failed"
  rm -rf --one-file-system "$WORK/rootfs"
  if [[ -n "$SEED_M2" ]]; then
    # The build container's JVM does not share the host's network set-up (proxies, extra CAs),
    # so instead of downloading the build base gets a copy of a local Maven repository and the
    # image then builds with no network at all.
    [[ -d "$SEED_M2" ]] || fail "TRAINSCOPE_SMOKE_SEED_M2=$SEED_M2 is no directory"
    mkdir -p "$WORK/seed"
    printf 'ARG BASE\nFROM ${BASE}\nCOPY repository /root/.m2/repository\n' >"$WORK/seed/Dockerfile"
    # (Not this project's own snapshots: the build makes those itself.)
    seed_name="$(basename "$SEED_M2")"
    tar -c -C "$WORK/seed" Dockerfile -C "$SEED_M2/.." --exclude="$seed_name/dev/trainscope" \
      --transform "s,^$seed_name,repository," "$seed_name" |
      timeout 900 docker build -q --build-arg BASE="$JDK_IMAGE" -t "$BUILD_IMAGE" - \
        >"$WORK/seed.log" 2>&1 || fail "seeding the build base failed: $(tail -3 "$WORK/seed.log")"
  else
    docker tag "$JDK_IMAGE" "$BUILD_IMAGE"
  fi
fi
pass "base images $JDK_IMAGE and $BUILD_IMAGE"

# --- The image --------------------------------------------------------------------------------
NETWORK=host
[[ -n "$SEED_M2" ]] && NETWORK=none
say "docker build -f docker/Dockerfile (BUILD_IMAGE=$BUILD_IMAGE, RUNTIME_IMAGE=$JDK_IMAGE, network $NETWORK)"
build_start=$SECONDS
timeout 1800 docker build --force-rm --network "$NETWORK" --build-arg BUILD_IMAGE="$BUILD_IMAGE" \
  --build-arg RUNTIME_IMAGE="$JDK_IMAGE" -f "$ROOT/docker/Dockerfile" -t "$IMAGE" "$ROOT" \
  >"$WORK/build.log" 2>&1 ||
  fail "docker build failed; the end of its output:$(echo; tail -15 "$WORK/build.log")"
pass "image built in $((SECONDS - build_start))s"

user="$(docker image inspect -f '{{.Config.User}}' "$IMAGE")"
[[ "$user" == trainscope ]] || fail "the image runs as '$user', not trainscope"
health_cmd="$(docker image inspect -f '{{json .Config.Healthcheck.Test}}' "$IMAGE")"
[[ "$health_cmd" == '["CMD","/app/healthcheck"]' ]] ||
  fail "the image's HEALTHCHECK is $health_cmd, not [\"CMD\",\"/app/healthcheck\"]"
grep -q 'test: \["CMD", "/app/healthcheck"\]' "$ROOT/docker/compose.yaml" ||
  fail "docker/compose.yaml's healthcheck is not the image's /app/healthcheck"
pass "image user trainscope; HEALTHCHECK (image and compose.yaml) is /app/healthcheck"
compose=()
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
fi
if ((${#compose[@]})); then
  "${compose[@]}" -f "$ROOT/docker/compose.yaml" config -q >"$WORK/compose.log" 2>&1 ||
    fail "${compose[*]} rejects docker/compose.yaml: $(cat "$WORK/compose.log")"
  pass "${compose[*]} config accepts docker/compose.yaml"
else
  say "skipped: compose.yaml validation (neither docker compose nor docker-compose installed)"
fi

# Nothing listens in a container without a network: the health check must say unhealthy.
if timeout 30 docker run --rm --network none --entrypoint /app/healthcheck "$IMAGE" >/dev/null 2>&1; then
  fail "the health check passed with no server running"
fi
pass "health check fails when no server answers"

# Without a token the server must refuse 0.0.0.0 rather than serve an open API.
set +e
out="$(timeout 60 docker run --rm --network none "$IMAGE" 2>&1)"
rc=$?
set -e
[[ $rc != 0 && $rc != 124 && "$out" == *TRAINSCOPE_TOKEN* ]] ||
  fail "without a token the container should exit naming TRAINSCOPE_TOKEN (exit $rc): $out"
pass "without a token the container exits $rc: $out"

# --- Serving ----------------------------------------------------------------------------------
PORT="$(free_port)"
say "docker run on 0.0.0.0:$PORT (host network), volume $VOLUME"
docker run -d --name "$CONTAINER" --network host -e TRAINSCOPE_TOKEN -v "$VOLUME:/data" \
  --health-interval 2s --health-timeout 5s --health-retries 3 --health-start-period 60s \
  "$IMAGE" serve --host 0.0.0.0 --port "$PORT" --data-dir /data >/dev/null

# listening N: the server printed its ready line at least N times (once per start).
listening() {
  [[ "$(docker container inspect -f '{{.State.Running}}' "$CONTAINER" 2>/dev/null)" == true ]] ||
    fail "the container stopped: $(docker logs --tail 5 "$CONTAINER" 2>&1)"
  (($(docker logs "$CONTAINER" 2>&1 | grep -c "Trainscope listening on http://0.0.0.0:$PORT/") >= $1))
}
wait_until "the server's ready line" 90 listening 1
pass "server listening on http://0.0.0.0:$PORT/"
if command -v ss >/dev/null 2>&1; then
  bound="$(ss -Hltn "sport = :$PORT" | awk 'NR == 1 {print $4}')"
  [[ "$bound" == "0.0.0.0:$PORT" || "$bound" == "*:$PORT" || "$bound" == "[::]:$PORT" ]] ||
    fail "port $PORT is bound to '$bound', not all interfaces"
  pass "socket bound to $bound"
fi

[[ "$(docker exec "$CONTAINER" id -u):$(docker exec "$CONTAINER" id -un)" == "10001:trainscope" ]] ||
  fail "the server does not run as trainscope (10001): $(docker exec "$CONTAINER" id)"
owner="$(docker exec "$CONTAINER" stat -c '%U:%G %a' /data)"
[[ "$owner" == trainscope:trainscope* ]] || fail "the volume /data is owned by $owner"
pass "server runs as uid 10001 (trainscope); the volume /data is $owner"

code="$(http GET /health)"
[[ "$code" == 200 && "$(body)" == *'"status":"UP"'* ]] || fail "/health answered $code $(body)"
pass "/health without a token: $code $(body)"

code="$(http GET /api/runs)"
[[ "$code" == 401 && "$(body)" == *'"error"'* ]] || fail "/api/runs without a token answered $code $(body)"
pass "/api/runs without a token: $code $(body)"
code="$(http GET /api/runs -H 'Authorization: Bearer wrong')"
[[ "$code" == 401 ]] || fail "/api/runs with a wrong token answered $code $(body)"
pass "/api/runs with a wrong token: $code"
code="$(http POST /api/runs -H 'Content-Type: application/json' -d '{}')"
[[ "$code" == 401 ]] || fail "POST /api/runs without a token answered $code $(body)"
pass "POST /api/runs without a token: $code"

code="$(api POST /api/runs -H 'Content-Type: application/json' -d '{"epochs": 30}')"
[[ "$code" == 201 ]] || fail "POST /api/runs answered $code $(body)"
DONE_RUN="$(field id)"
[[ -n "$DONE_RUN" ]] || fail "POST /api/runs answered no id: $(body)"
state_is() {
  local code
  code="$(api GET "/api/runs/$1")"
  [[ "$code" == 200 && "$(field state)" == "$2" ]]
}
wait_until "run $DONE_RUN completed" 120 state_is "$DONE_RUN" completed
code="$(api GET "/api/runs/$DONE_RUN/events.ndjson")"
[[ "$code" == 200 ]] || fail "events.ndjson of $DONE_RUN answered $code"
done_events="$(grep -c . "$WORK/body")"
tail -1 "$WORK/body" | grep -q '"type":"run-completed"' || fail "run $DONE_RUN has no run-completed"
pass "run $DONE_RUN (30 epochs) completed: $done_events events, the last run-completed"

code="$(api POST /api/runs -H 'Content-Type: application/json' \
  -d '{"epochs": 1000000, "epochDelayMs": 20, "name": "still training at docker stop"}')"
[[ "$code" == 201 ]] || fail "POST /api/runs (long run) answered $code $(body)"
LIVE_RUN="$(field id)"
training() { state_is "$LIVE_RUN" running && [[ "$(field lastEpoch)" -ge 1 ]]; }
wait_until "run $LIVE_RUN training" 60 training
docker exec "$CONTAINER" test -s "/data/runs/$LIVE_RUN/events.ndjson" ||
  fail "run $LIVE_RUN has no log on the volume"
pass "run $LIVE_RUN training, its log on the volume"

code="$(api POST /api/runs -H 'Content-Type: application/json' -d '{"external": true, "name": "pushed"}')"
[[ "$code" == 201 ]] || fail "POST /api/runs (external) answered $code $(body)"
PUSHED_RUN="$(field id)"
code="$(api POST "/api/runs/$PUSHED_RUN/events" -H 'Content-Type: application/x-ndjson' \
  --data-binary $'{"type":"epoch","epoch":1,"loss":0.9}\n{"type":"epoch","epoch":2,"loss":0.7}\n')"
[[ "$code" == 200 && "$(field accepted)" == 2 ]] || fail "pushing 2 events answered $code $(body)"
pass "external run $PUSHED_RUN: 2 pushed events acknowledged"

healthy() { [[ "$(docker inspect -f '{{.State.Health.Status}}' "$CONTAINER")" == healthy ]]; }
wait_until "docker's health status healthy" 60 healthy
docker exec "$CONTAINER" /app/healthcheck || fail "/app/healthcheck failed in the running container"
pass "docker inspect: health status healthy; /app/healthcheck exits 0"

# --- docker stop: SIGTERM, the JVM's shutdown hook closes the logs -------------------------------
stop_start="$(date +%s%N)"
docker stop "$CONTAINER" >/dev/null
stop_ms=$((($(date +%s%N) - stop_start) / 1000000))
exit_code="$(docker inspect -f '{{.State.ExitCode}}' "$CONTAINER")"
# 143 is the JVM exiting on SIGTERM after its hooks; 137 would be docker's SIGKILL after 10 s.
[[ "$exit_code" == 143 ]] || fail "docker stop: exit code $exit_code (143 = graceful, 137 = killed)"
[[ "$(docker logs "$CONTAINER" 2>&1 | grep -c "Threads still busy")" == 0 ]] ||
  fail "docker stop: the server had to stop busy threads"
# The volume as the stopped server left it: every line of the live run's log complete.
inspect_log() {
  docker run --rm --network none -v "$VOLUME:/data" --entrypoint bash "$IMAGE" -c "$1"
}
last_byte="$(inspect_log "tail -c 1 /data/runs/$LIVE_RUN/events.ndjson | od -An -c | tr -d ' '")"
[[ "$last_byte" == '\n' ]] || fail "run $LIVE_RUN's log ends in a torn line after docker stop"
stopped_lines="$(inspect_log "grep -c . /data/runs/$LIVE_RUN/events.ndjson")"
pass "docker stop in ${stop_ms} ms, exit $exit_code; run $LIVE_RUN's log closed with $stopped_lines complete events"

# --- Restart on the same volume -------------------------------------------------------------------
docker start "$CONTAINER" >/dev/null
wait_until "the server's ready line after docker start" 90 listening 2
code="$(api GET "/api/runs/$DONE_RUN")"
[[ "$code" == 200 && "$(field state)" == completed ]] ||
  fail "after restart run $DONE_RUN is $code $(field state), not completed"
code="$(api GET "/api/runs/$DONE_RUN/events.ndjson")"
[[ "$(grep -c . "$WORK/body")" == "$done_events" ]] ||
  fail "after restart run $DONE_RUN has $(grep -c . "$WORK/body") events, not $done_events"
pass "after restart run $DONE_RUN completed with all $done_events events"
code="$(api GET "/api/runs/$LIVE_RUN")"
[[ "$code" == 200 && "$(field state)" == interrupted ]] ||
  fail "after restart run $LIVE_RUN is $code $(field state), not interrupted"
code="$(api GET "/api/runs/$LIVE_RUN/events.ndjson")"
live_lines="$(grep -c . "$WORK/body")"
tail -1 "$WORK/body" | grep -q '"type":"status".*"state":"interrupted"' ||
  fail "run $LIVE_RUN's last event is not status interrupted: $(tail -1 "$WORK/body")"
[[ "$live_lines" == $((stopped_lines + 1)) ]] ||
  fail "run $LIVE_RUN has $live_lines events after restart, not the $stopped_lines stopped ones + 1"
pass "after restart run $LIVE_RUN interrupted: its $stopped_lines events and status interrupted"
code="$(api GET "/api/runs/$PUSHED_RUN/events.ndjson")"
[[ "$(grep -c '"type":"epoch"' "$WORK/body")" == 2 ]] &&
  tail -1 "$WORK/body" | grep -q '"type":"status".*"state":"interrupted"' ||
  fail "after restart external run $PUSHED_RUN lacks its 2 epochs or status interrupted: $(body)"
pass "after restart external run $PUSHED_RUN interrupted, with both acknowledged epochs"
wait_until "docker's health status healthy after restart" 60 healthy
pass "healthy after restart"

say "PASS: $CHECKS checks"
