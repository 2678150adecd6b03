#!/bin/bash
# The image's HEALTHCHECK: GET /health on the port the server was started with, in bash alone
# (the runtime image has no curl, and a JVM per probe would cost more than the server's idle CPU).
# Exit 0 when the server answers {"status":"UP"}, 1 otherwise.
set -euo pipefail

# `serve --port N` or `--port=N` on PID 1's command line (java, or an init that runs it), else the
# image's default; reading it means `docker run IMAGE serve --port 9000 ...` is probed on 9000.
port=8080
mapfile -d '' -t args </proc/1/cmdline || true
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --port) port="${args[i + 1]:-$port}" ;;
    --port=*) port="${args[i]#--port=}" ;;
  esac
done
[[ "$port" =~ ^[0-9]+$ ]] || { echo "healthcheck: no port in the command line" >&2; exit 1; }

exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
# HTTP/1.0: the server closes the connection after the answer, so this read ends.
response="$(cat <&3)"
if [[ "$response" == "HTTP/1."?" 200"* && "$response" == *'"status":"UP"'* ]]; then
  exit 0
fi
echo "healthcheck: /health on port $port answered: ${response%%$'\r'*}" >&2
exit 1
