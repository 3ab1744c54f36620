#!/usr/bin/python3
"""A real client (Debian's python3-slixmpp) asks a component for disco#info, disco#items and a ping.

Prints one JSON object on stdout and exits 0, or prints the failure and exits 1.
Usage: disco_ping.py JID PASSWORD PORT TARGET
"""
import asyncio
import json
import sys

import slixmpp
from slixmpp.exceptions import IqError, IqTimeout


class Probe(slixmpp.ClientXMPP):
    def __init__(self, jid, password, target):
        super().__init__(jid, password)
        self.target = target
        self.result = {}
        self.failure = None
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0199")
        # Loopback test server without TLS: allow PLAIN in the clear.
        self["feature_mechanisms"].unencrypted_plain = True
        self.add_event_handler("session_start", self.start)
        self.add_event_handler("failed_auth", self.failed)

    def failed(self, _event):
        self.failure = "authentication failed"
        self.disconnect()

    async def start(self, _event):
        try:
            info = await self["xep_0030"].get_info(jid=self.target, timeout=10)
            query = info["disco_info"]
            self.result["identities"] = [list(i[:3]) for i in query["identities"]]
            self.result["features"] = sorted(query["features"])
            items = await self["xep_0030"].get_items(jid=self.target, timeout=10)
            self.result["items"] = [i[0] for i in items["disco_items"]["items"]]
            rtt = await self["xep_0199"].send_ping(self.target, timeout=10)
            self.result["ping"] = rtt is not None
        except (IqError, IqTimeout) as e:
            self.failure = f"{type(e).__name__}: {e}"
        finally:
            self.disconnect()


def main():
    jid, password, port, target = sys.argv[1:5]
    client = Probe(jid, password, target)
    client.connect(("127.0.0.1", int(port)), disable_starttls=True)
    loop = asyncio.get_event_loop()
    loop.run_until_complete(asyncio.wait_for(client.disconnected, 30))
    if client.failure or not client.result:
        print(client.failure or "no result", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(client.result))


if __name__ == "__main__":
    main()
