# Sourced by samples/run-local.sh and Tests/run-tests.sh.
# apt_install PKG...: installs Debian packages without letting them start system services
# (the suite starts its own servers on its own ports).
apt_install() {
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  local guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    guard=1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
  [ -z "$guard" ] || $sudo rm -f /usr/sbin/policy-rc.d
}
