#!/usr/bin/python3
"""MIX through a real client library: Debian's python3-slixmpp (xep_0369, xep_0313).

alice creates a channel, alice and bob join it, exchange messages, bob changes his nick,
alice pages through the history with MAM, bob leaves and is refused when he posts again,
and carol (never joined) is refused too. Prints one JSON object with what each client saw.
Usage: mix_scenario.py PORT SERVICE CHANNEL  (users alice, bob, carol with password 'pass')
"""
import asyncio
import sys
import xml.etree.ElementTree as ET

import slixmpp

import scenario_client
from slixmpp import JID
from slixmpp.exceptions import IqError


def client(user, port):
    c, started = scenario_client.client(user, port, ("xep_0030", "xep_0060", "xep_0369", "xep_0313", "xep_0359"))
    c.received = []
    c.errors = []
    c.add_event_handler("mix_message", lambda m: c.received.append(m))
    c.add_event_handler("message_error", lambda m: c.errors.append(m))
    return c, started


wait_until = scenario_client.wait_until


def seen(msg):
    mix = msg["mix"]
    return {"from": str(msg["from"]), "id": msg["id"], "body": msg["body"], "nick": mix["nick"],
            "stanza_id": msg["stanza_id"]["id"], "stanza_id_by": str(msg["stanza_id"]["by"])}


async def scenario(port, service, name):
    out = {}
    (alice, a_up), (bob, b_up), (carol, c_up) = client("alice", port), client("bob", port), client("carol", port)
    await asyncio.wait_for(asyncio.gather(a_up, b_up, c_up), 20)
    channel = JID(f"{name}@{service}")

    out["can_create"] = await alice["xep_0369"].can_create_channel(JID(service))
    out["created"] = await alice["xep_0369"].create_channel(JID(service), name)
    out["alice_join_failed_nodes"] = sorted(await alice["xep_0369"].join_channel(channel, "alice"))
    await bob["xep_0369"].join_channel(channel, "bob")
    out["nodes"] = sorted(await alice["xep_0369"].list_mix_nodes(channel))

    alice.send_message(mto=channel, mbody="hello from alice", mtype="groupchat")
    await wait_until(lambda: alice.received and bob.received)
    bob.send_message(mto=channel, mbody="hello from bob", mtype="groupchat")
    await wait_until(lambda: len(alice.received) >= 2 and len(bob.received) >= 2)
    out["alice_saw"] = [seen(m) for m in alice.received]
    out["bob_saw"] = [seen(m) for m in bob.received]

    out["bob_new_nick"] = await bob["xep_0369"].set_nick(channel, "bobby")
    out["participants"] = sorted([p[1] for p in await alice["xep_0369"].list_participants(channel)])

    for i in range(5):
        alice.send_message(mto=channel, mbody=f"history {i}", mtype="groupchat")
    await wait_until(lambda: len(alice.received) >= 7)
    # Pages of 3 (RSM max), followed by slixmpp with <after/> until the archive says complete.
    history = []
    async for m in alice["xep_0313"].iterate(jid=channel, total=100, rsm={"max": 3}):
        history.append(m["mam_result"]["forwarded"]["stanza"]["body"])
    out["mam_history"] = history

    await bob["xep_0369"].leave_channel(channel)
    out["participants_after_leave"] = sorted([p[1] for p in await alice["xep_0369"].list_participants(channel)])
    bob.send_message(mto=channel, mbody="am I still here?", mtype="groupchat")
    carol.send_message(mto=channel, mbody="let me in", mtype="groupchat")
    await wait_until(lambda: bob.errors and carol.errors)
    out["bob_error"] = bob.errors[0]["error"]["condition"] if bob.errors else None
    out["carol_error"] = carol.errors[0]["error"]["condition"] if carol.errors else None

    # slixmpp 1.8.3's destroy_channel() leaves out the channel attribute (a malformed request);
    # build the request the XEP describes instead.
    destroy = carol.make_iq_set(ito=JID(service))
    destroy.xml.append(ET.Element("{urn:xmpp:mix:core:1}destroy", {"channel": channel.user}))
    try:
        await destroy.send()
        out["carol_destroy"] = "allowed"
    except IqError as e:
        out["carol_destroy"] = e.iq["error"]["condition"]
    try:
        await carol["xep_0369"].destroy_channel(channel)
        out["malformed_destroy"] = "allowed"
    except IqError as e:
        out["malformed_destroy"] = e.iq["error"]["condition"]

    for c in (alice, bob, carol):
        c.disconnect()
    return out


def main():
    port, service, name = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    scenario_client.run_and_print(scenario(port, service, name), 90)


if __name__ == "__main__":
    main()
