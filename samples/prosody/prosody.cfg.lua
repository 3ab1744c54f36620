-- A self-contained Prosody for the local demo and the integration tests: loopback only,
-- no TLS, in-band registration, everything under @DIR@. samples/run-local.sh and the tests
-- fill in the @...@ values. Not a production configuration.
pidfile = "@DIR@/prosody.pid"
data_path = "@DIR@/data"
certificates = "@DIR@/certs"
daemonize = false
log = { info = "@DIR@/prosody.log"; error = "@DIR@/prosody.err" }

interfaces = { "127.0.0.1" }
c2s_ports = { @C2S_PORT@ }
s2s_ports = { @S2S_PORT@ }
component_ports = { @COMPONENT_PORT@ }
component_interfaces = { "127.0.0.1" }
http_ports = { }
https_ports = { }

authentication = "internal_plain"
allow_registration = true
min_seconds_between_registrations = 0
c2s_require_encryption = false
s2s_require_encryption = false
s2s_secure_auth = false
allow_unencrypted_plain_auth = true

modules_enabled = { "roster"; "saslauth"; "disco"; "ping"; "register"; "presence"; "message"; "iq"; "time"; "version" }
-- posix: Prosody refuses to start as root otherwise; tls: no certificates on loopback
modules_disabled = { "tls"; "posix"; "s2s" }

VirtualHost "localhost"

Include "@DIR@/components.cfg.lua"
