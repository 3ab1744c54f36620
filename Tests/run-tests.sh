#!/usr/bin/env bash
# Runs every test: unit tests (no network) and integration tests against real Prosody and
# ejabberd processes started on loopback, driven by a C# test client and python3-slixmpp.
#
#   bash Tests/run-tests.sh            # all tests
#   bash Tests/run-tests.sh --unit     # unit tests only (no XMPP servers; the archive tests start their own PostgreSQL)
#
# Installs what the tests need from Debian's packages when missing (PostgreSQL, which the unit
# tests' archive contract runs against; Prosody, ejabberd, lua-unbound, python3-slixmpp), without
# starting them as system services: the tests start their own servers. Ends with one line
# "N passed, N failed" read from the test results.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
results="$repo/TestResults"
say() { printf '[run-tests] %s\n' "$*"; }

# shellcheck source=samples/apt-install.sh
. "$repo/samples/apt-install.sh"

# The archive tests start their own PostgreSQL (initdb in a temporary directory, a free port).
install_unit_packages() {
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && return
  say "installing postgresql from Debian's packages"
  apt_install postgresql
}

install_packages() {
  local missing=()
  command -v prosody >/dev/null || missing+=(prosody)
  command -v ejabberdctl >/dev/null || missing+=(ejabberd)
  # Prosody resolves its federation peers from a hosts file only through libunbound.
  dpkg -s lua-unbound >/dev/null 2>&1 || missing+=(lua-unbound)
  /usr/bin/python3 -c 'import slixmpp' 2>/dev/null || missing+=(python3-slixmpp)
  command -v tmux >/dev/null || missing+=(tmux)
  command -v poezio >/dev/null || missing+=(poezio)
  [ ${#missing[@]} -eq 0 ] && return
  say "installing ${missing[*]} from Debian's packages"
  apt_install "${missing[@]}"
}

projects=("$repo/Tests/Unit/Unit.csproj" "$repo/Tests/Integration/Integration.csproj")
install_unit_packages
if [ "${1:-}" = "--unit" ]; then
  projects=("$repo/Tests/Unit/Unit.csproj")
else
  install_packages
fi

rm -rf "$results"
say "building"
dotnet build "$repo/component.sln" -c Release -nologo -v quiet

status=0
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  say "testing $name"
  # A hung test is killed and reported instead of eating CI's time.
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" --blame-hang-timeout 10m || status=1
done

# One closing line from the real results (the trx files), whatever the console said.
summary=$(python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed", 0))
    failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    skipped += int(c.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
)
passed=${summary%% passed*}
if [ "$passed" = "0" ]; then status=1; fi
echo "$summary"
exit $status
