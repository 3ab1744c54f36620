-- The suite's components, as Prosody declares them. Paste into prosody.cfg.lua (after your
-- VirtualHost) or Include this file. Replace "localhost" with your server's domain and
-- @COMPONENT_SECRET@ with a long random secret; give the same secret to the component.
-- Prosody listens for components on component_ports (default 5347) and component_interfaces.

-- The room host: MIX face and MUC face (one program, two domains)
Component "mix.localhost"
    component_secret = "@COMPONENT_SECRET@"
Component "muc.localhost"
    component_secret = "@COMPONENT_SECRET@"

-- The FMUC mirror
Component "mirror.localhost"
    component_secret = "@COMPONENT_SECRET@"

-- The DMUC2 replica
Component "dmuc-replica.localhost"
    component_secret = "@COMPONENT_SECRET@"
