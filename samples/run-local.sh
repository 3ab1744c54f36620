#!/usr/bin/env bash
# Runs the whole suite on this machine: a Prosody on loopback with the three components
# registered and two demo accounts, and the three programs attached to it. Ctrl-C stops all.
#
#   bash samples/run-local.sh
#
# Settings (environment): C2S_PORT (5222), COMPONENT_PORT (5347), STATE_DIR (.local/demo).
# Data (the programs' archives, Prosody's accounts, the generated secret) stays in STATE_DIR
# between runs. The programs use the default archive engine; an archive.db written by an earlier
# run stays in use even if the default changes (see README, Storage).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state=${STATE_DIR:-$repo/.local/demo}
c2s_port=${C2S_PORT:-5222}
component_port=${COMPONENT_PORT:-5347}

say() { printf '[run-local] %s\n' "$*"; }

# shellcheck source=samples/apt-install.sh
. "$repo/samples/apt-install.sh"

install_prosody() {
  command -v prosody >/dev/null && return
  say "installing Prosody from Debian's packages"
  apt_install prosody
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

install_prosody
for p in "$c2s_port" "$component_port"; do
  port_free "$p" || { say "port $p is in use; set C2S_PORT / COMPONENT_PORT to free ports"; exit 1; }
done

mkdir -p "$state/prosody/data" "$state/prosody/certs"
[ -s "$state/secret" ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$state/secret"
secret=$(cat "$state/secret")

render() {
  sed -e "s#@DIR@#$state/prosody#g" -e "s#@C2S_PORT@#$c2s_port#g" -e "s#@S2S_PORT@#0#g" \
      -e "s#@COMPONENT_PORT@#$component_port#g" -e "s#@COMPONENT_SECRET@#$secret#g" "$1"
}
render "$repo/samples/prosody/prosody.cfg.lua" > "$state/prosody/prosody.cfg.lua"
render "$repo/samples/prosody/components.cfg.lua" > "$state/prosody/components.cfg.lua"
chmod 600 "$state/prosody/components.cfg.lua"

say "building the suite (Release)"
dotnet build "$repo/component.sln" -c Release -v quiet -nologo >/dev/null

pids=()
prosody_pid=""
stop_all() {
  trap - INT TERM
  say "stopping"
  # The programs first, so they can flush and close their streams while the server is still up.
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -z "$prosody_pid" ] || { kill -TERM "$prosody_pid" 2>/dev/null || true; wait "$prosody_pid" 2>/dev/null || true; }
  say "stopped"
  exit 0
}
trap stop_all INT TERM

# Own session: Ctrl-C reaches the whole foreground group, and the server must outlive the
# programs' orderly shutdown; stop_all stops it last.
setsid prosody --config "$state/prosody/prosody.cfg.lua" >"$state/prosody/stdout.log" 2>&1 &
prosody_pid=$!
wait_port "$c2s_port" || { say "Prosody did not start; see $state/prosody/prosody.log"; stop_all; }

# prosodyctl drops to the prosody user, which must own the data directory.
if id prosody >/dev/null 2>&1; then chown -R prosody "$state/prosody/data" 2>/dev/null || true; fi
for user in alice bob; do
  prosodyctl --config "$state/prosody/prosody.cfg.lua" register "$user" localhost "$user" >/dev/null 2>&1 \
    || say "could not register $user (already there?)"
done

start() { # name project extra-args...
  local name=$1 project=$2; shift 2
  Component__Secret=$secret dotnet "$repo/Components/$project/bin/Release/net10.0/XmppGroupChat.$project.dll" \
    --Component:Host=127.0.0.1 --Component:Port="$component_port" --Component:Domain="$name.localhost" \
    --Storage:Path="$state/$name" "$@" > >(trap "" INT TERM; exec sed -u "s/^/[$name] /") 2>&1 &
  pids+=($!) # the program itself, so Ctrl-C can stop it gracefully (SIGTERM: flush, close the stream)
}
start mix Mix --Muc:Domain=muc.localhost
start mirror Mirror
start dmuc-replica DmucReplica

say "ready. Connect a client to 127.0.0.1:$c2s_port without TLS as alice@localhost (password alice)"
say "or bob@localhost (password bob). Services: mix.localhost, muc.localhost, mirror.localhost,"
say "dmuc-replica.localhost. Ctrl-C stops everything."
wait
