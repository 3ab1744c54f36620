-- Prosody for the container route (docker-compose.yml): the components reach it over the
-- compose network, so the component port listens on all interfaces of the container.
-- The secret comes from the COMPONENT_SECRET environment variable.
daemonize = false
log = { info = "*console" }
data_path = "/var/lib/prosody"

interfaces = { "*" }
component_interfaces = { "*" }
component_ports = { 5347 }

authentication = "internal_hashed"
allow_registration = false
-- Demo only: no certificates in this setup. Use TLS for anything real.
c2s_require_encryption = false
allow_unencrypted_plain_auth = true

modules_enabled = { "roster"; "saslauth"; "disco"; "ping"; "register"; "presence"; "message"; "iq"; "time"; "version" }
modules_disabled = { "s2s" }

VirtualHost "localhost"

local secret = os.getenv("COMPONENT_SECRET") or "change-me"
Component "mix.localhost"
    component_secret = secret
Component "muc.localhost"
    component_secret = secret
Component "mirror.localhost"
    component_secret = secret
Component "dmuc-replica.localhost"
    component_secret = secret
