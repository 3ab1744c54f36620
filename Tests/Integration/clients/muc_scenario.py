#!/usr/bin/python3
"""MUC through a real client library: Debian's python3-slixmpp (xep_0045, xep_0313).

alice creates an instant room, bob joins, they talk, carol joins late and gets history, bob
changes nick, alice kicks carol, alice pages the room's archive with MAM, alice makes the room
members-only and dave is refused. Prints one JSON object with what each client saw.
Usage: muc_scenario.py PORT SERVICE ROOM  (users alice, bob, carol, dave with password 'pass')
"""
import asyncio
import sys

import slixmpp

import scenario_client
from slixmpp import JID
from slixmpp.exceptions import PresenceError


def client(user, port):
    c, started = scenario_client.client(user, port, ("xep_0004", "xep_0030", "xep_0045", "xep_0059", "xep_0313", "xep_0359", "xep_0421"))
    c.groupchat = []
    c.presences = []
    c.add_event_handler("groupchat_message", lambda m: c.groupchat.append(m) if m["body"] else None)
    c.add_event_handler("groupchat_presence", lambda p: c.presences.append(p))
    return c, started


wait_until = scenario_client.wait_until


def codes(presence):
    return sorted(int(c) for c in presence["muc"]["status_codes"])


async def scenario(port, service, name):
    out = {}
    clients = {u: client(u, port) for u in ("alice", "bob", "carol", "dave")}
    await asyncio.wait_for(asyncio.gather(*(s for _, s in clients.values())), 20)
    alice, bob, carol, dave = (clients[u][0] for u in ("alice", "bob", "carol", "dave"))
    room = JID(f"{name}@{service}")

    own, subject, occupants, history = await alice["xep_0045"].join_muc_wait(room, "alice", maxstanzas=0, timeout=15)
    out["alice_codes"] = codes(own)
    form = alice["xep_0004"].make_form(ftype="submit")
    await alice["xep_0045"].set_room_config(room, form)  # an instant room

    own, subject, occupants, history = await bob["xep_0045"].join_muc_wait(room, "bob", timeout=15)
    out["bob_codes"] = codes(own)
    out["bob_saw_occupants"] = sorted(str(p["from"].resource) for p in occupants)
    out["bob_subject"] = subject["subject"]
    for i in range(3):
        alice.send_message(mto=room, mbody=f"alice {i}", mtype="groupchat")
    bob.send_message(mto=room, mbody="bob 0", mtype="groupchat")
    await wait_until(lambda: len(alice.groupchat) >= 4 and len(bob.groupchat) >= 4)
    out["alice_heard"] = [m["body"] for m in alice.groupchat]
    out["bob_heard"] = [m["body"] for m in bob.groupchat]
    out["stanza_ids_match"] = [m["stanza_id"]["id"] for m in alice.groupchat] == [m["stanza_id"]["id"] for m in bob.groupchat]
    out["stanza_id_by"] = str(alice.groupchat[0]["stanza_id"]["by"])
    out["occupant_ids"] = sorted({m["occupant-id"]["id"] for m in bob.groupchat})

    own, subject, occupants, history = await carol["xep_0045"].join_muc_wait(room, "carol", maxstanzas=2, timeout=15)
    out["carol_history"] = [m["body"] for m in history]
    out["carol_history_delayed"] = all(m["delay"]["stamp"] is not None for m in history)

    bob.send_presence(pto=f"{room}/robert")
    await wait_until(lambda: any(303 in codes(p) for p in alice.presences))
    out["nick_change_codes"] = [codes(p) for p in alice.presences if 303 in codes(p)][0]

    await alice["xep_0045"].set_role(room, "carol", "none", reason="enough")
    await wait_until(lambda: any(307 in codes(p) for p in alice.presences))
    out["kick_seen"] = any(307 in codes(p) for p in alice.presences)

    archived = []
    async for m in alice["xep_0313"].iterate(jid=room, total=50, rsm={"max": 2}):
        archived.append(m["mam_result"]["forwarded"]["stanza"]["body"])
    out["mam"] = archived

    config = await alice["xep_0045"].get_room_config(room)
    submit = alice["xep_0004"].make_form(ftype="submit")
    submit.add_field(var="FORM_TYPE", ftype="hidden", value="http://jabber.org/protocol/muc#roomconfig")
    submit.add_field(var="muc#roomconfig_membersonly", ftype="boolean", value=True)
    await alice["xep_0045"].set_room_config(room, submit)
    out["config_fields"] = sorted(config.get_values().keys())
    try:
        await dave["xep_0045"].join_muc_wait(room, "dave", timeout=10)
        out["dave"] = "joined"
    except PresenceError as e:
        out["dave"] = e.presence["error"]["condition"]

    for c in (alice, bob, carol, dave):
        c.disconnect()
    return out


def main():
    port, service, name = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    scenario_client.run_and_print(scenario(port, service, name), 120)


if __name__ == "__main__":
    main()
