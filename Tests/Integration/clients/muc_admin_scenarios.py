#!/usr/bin/python3
"""XEP-0045 owner and admin use cases through Debian's python3-slixmpp (xep_0045, xep_0030, xep_0313).

One scenario per run, each in its own room with alice as owner:
  ban       alice bans carol with a reason; carol and bob see 301; carol's re-join is refused;
            the ban list names carol; lifting the ban lets her back
  password  alice protects the room with a secret through muc#roomconfig; joins without it, with a
            wrong one and with the right one; disco#info before and after
  destroy   alice destroys the room with a reason and an alternate venue; what the occupants get,
            disco#info and MAM afterwards, and what a fresh join does
  voice     a moderated room: a visitor is refused, gets voice and talks; the member list is set,
            read and cleared, and membership gives voice
Prints one JSON object with what the clients saw.
Usage: muc_admin_scenarios.py PORT SERVICE ROOM SCENARIO  (users alice, bob, carol with password 'pass')
"""
import asyncio
import sys

from slixmpp import JID
from slixmpp.exceptions import IqError, PresenceError

import scenario_client

MUC_USER = "{http://jabber.org/protocol/muc#user}"
wait_until = scenario_client.wait_until


def client(user, port):
    c, started = scenario_client.client(user, port, ("xep_0004", "xep_0030", "xep_0045", "xep_0059", "xep_0313"))
    c.groupchat = []
    c.presences = []
    c.message_errors = []
    c.add_event_handler("groupchat_message", lambda m: c.groupchat.append(m) if m["body"] else None)
    c.add_event_handler("groupchat_presence", lambda p: c.presences.append(p))
    c.add_event_handler("message_error", lambda m: c.message_errors.append(m))
    return c, started


def codes(presence):
    return sorted(int(c) for c in presence["muc"]["status_codes"])


def item(presence):
    """The muc#user item of a presence, read from the XML so absent parts show as None."""
    e = presence.xml.find(f"{MUC_USER}x/{MUC_USER}item")
    actor = e.find(f"{MUC_USER}actor") if e is not None else None
    reason = e.find(f"{MUC_USER}reason") if e is not None else None
    return {
        "affiliation": e.get("affiliation") if e is not None else None,
        "role": e.get("role") if e is not None else None,
        "actor": actor.get("nick") or actor.get("jid") if actor is not None else None,
        "reason": reason.text if reason is not None else None,
    }


def removal(presence):
    """How a presence that takes an occupant out of the room looks to its receiver."""
    return {"codes": codes(presence), **item(presence)}


async def try_join(c, room, nick, password=None):
    """Joins room as nick; returns "joined" or the refusal as "condition/type". A join error without
    the muc element never ends slixmpp's join_muc_wait (Prosody-style), so presence_error is heard too."""
    refused = asyncio.get_event_loop().create_future()

    def on_error(p):
        if p["from"].bare == room.bare and not refused.done():
            refused.set_result(f"{p['error']['condition']}/{p['error']['type']}")

    c.add_event_handler("presence_error", on_error)
    join = asyncio.ensure_future(c["xep_0045"].join_muc_wait(room, nick, password=password, maxstanzas=0, timeout=10))
    try:
        await asyncio.wait([join, refused], timeout=12, return_when=asyncio.FIRST_COMPLETED)
        if refused.done():
            return refused.result()
        return "joined" if join.done() and join.result() else "no answer"
    except PresenceError as e:
        return f"{e.presence['error']['condition']}/{e.presence['error']['type']}"
    finally:
        c.del_event_handler("presence_error", on_error)
        if not join.done():
            join.cancel()
        elif not join.cancelled():
            join.exception()  # seen, whichever way it ended


async def configure(owner, room, **fields):
    """Submits a muc#roomconfig form with the given fields (an empty one makes an instant room)."""
    form = owner["xep_0004"].make_form(ftype="submit")
    form.add_field(var="FORM_TYPE", ftype="hidden", value="http://jabber.org/protocol/muc#roomconfig")
    for var, value in fields.items():
        form.add_field(var=f"muc#roomconfig_{var}", ftype="boolean" if isinstance(value, bool) else None, value=value)
    await owner["xep_0045"].set_room_config(room, form)


async def create(owner, room, **fields):
    """The owner creates the room and configures it; returns the status codes of its self-presence."""
    own, _, _, _ = await owner["xep_0045"].join_muc_wait(room, "alice", maxstanzas=0, timeout=10)
    await configure(owner, room, **fields)
    return codes(own)


async def disco_features(c, room):
    try:
        info = await c["xep_0030"].get_info(jid=room, timeout=10)
        return sorted(info["disco_info"]["features"])
    except IqError as e:
        return f"{e.iq['error']['condition']}/{e.iq['error']['type']}"


async def mam_bodies(c, room):
    try:
        result = await c["xep_0313"].retrieve(jid=room, timeout=10)
        return [m["mam_result"]["forwarded"]["stanza"]["body"] for m in result["mam"]["results"]]
    except IqError as e:
        return f"{e.iq['error']['condition']}/{e.iq['error']['type']}"


def presences_from(c, occupant, kind=None):
    return [p for p in c.presences if p["from"] == occupant and (kind is None or p["type"] == kind)]


async def ban(alice, bob, carol, room):
    out = {}
    await create(alice, room)
    await bob["xep_0045"].join_muc_wait(room, "bob", maxstanzas=0, timeout=10)
    await carol["xep_0045"].join_muc_wait(room, "carol", maxstanzas=0, timeout=10)
    carol_jid = JID(f"carol@{carol.boundjid.domain}")
    await alice["xep_0045"].set_affiliation(room, "outcast", jid=carol_jid, reason="spamming")

    gone = JID(f"{room}/carol")
    await wait_until(lambda: all(presences_from(c, gone, "unavailable") for c in (alice, bob, carol)))
    out["carol_got"] = [removal(p) for p in presences_from(carol, gone, "unavailable")]
    out["bob_saw"] = [removal(p) for p in presences_from(bob, gone, "unavailable")]
    out["rejoin"] = await try_join(carol, room, "carol")
    out["outcasts"] = [str(j) for j in await alice["xep_0045"].get_affiliation_list(room, "outcast")]
    await alice["xep_0045"].set_affiliation(room, "none", jid=carol_jid)
    out["outcasts_after"] = [str(j) for j in await alice["xep_0045"].get_affiliation_list(room, "outcast")]
    out["rejoin_after"] = await try_join(carol, room, "carol")
    return out


async def password(alice, bob, carol, room):
    out = {}
    await create(alice, room)
    out["features_before"] = await disco_features(bob, room)
    # The way a client does it: fetch the room's form, fill it in, send it back.
    form = await alice["xep_0045"].get_room_config(room)
    out["config_fields"] = sorted(form.get_values().keys())
    form.set_values({"muc#roomconfig_passwordprotectedroom": True, "muc#roomconfig_roomsecret": "cauldron"})
    await alice["xep_0045"].set_room_config(room, form)
    out["features_after"] = await disco_features(bob, room)
    out["no_password"] = await try_join(bob, room, "bob")
    out["wrong_password"] = await try_join(bob, room, "bob", password="kettle")
    out["right_password"] = await try_join(bob, room, "bob", password="cauldron")
    return out


async def destroy(alice, bob, carol, room):
    out = {}
    await create(alice, room)
    await bob["xep_0045"].join_muc_wait(room, "bob", maxstanzas=0, timeout=10)
    bob.send_message(mto=room, mbody="before the end", mtype="groupchat")
    await wait_until(lambda: alice.groupchat)
    out["mam_before"] = await mam_bodies(alice, room)

    venue = JID(f"elsewhere@{room.domain}")
    await alice["xep_0045"].destroy(room, reason="moving house", altroom=venue)
    notices = {}
    for name, c in (("alice", alice), ("bob", bob)):
        occupant = JID(f"{room}/{name}")
        await wait_until(lambda: presences_from(c, occupant, "unavailable"))
        notices[name] = [{"jid": str(p["muc"]["destroy"]["jid"]), "reason": p["muc"]["destroy"]["reason"]}
                         for p in presences_from(c, occupant, "unavailable")]
    out["destroy_notices"] = notices
    out["disco_after"] = await disco_features(bob, room)
    out["mam_after"] = await mam_bodies(alice, room)

    # The name is free again: joining it creates a new room, locked until configured, with no history.
    own, _, _, _ = await alice["xep_0045"].join_muc_wait(room, "alice", maxstanzas=0, timeout=10)
    out["fresh_join_codes"] = codes(own)
    out["fresh_bob"] = await try_join(bob, room, "bob")
    out["fresh_mam"] = await mam_bodies(alice, room)
    await alice["xep_0045"].destroy(room)
    return out


async def voice(alice, bob, carol, room):
    out = {}
    await create(alice, room, moderatedroom=True)
    out["features"] = await disco_features(bob, room)
    own, _, _, _ = await bob["xep_0045"].join_muc_wait(room, "bob", maxstanzas=0, timeout=10)
    out["bob_role"] = item(own)["role"]
    out["visitors"] = await alice["xep_0045"].get_roles_list(room, "visitor")

    bob.send_message(mto=room, mbody="may I?", mtype="groupchat")
    await wait_until(lambda: bob.message_errors)
    out["visitor_message"] = [f"{m['error']['condition']}/{m['error']['type']}" for m in bob.message_errors]

    await alice["xep_0045"].set_role(room, "bob", "participant")
    bob_occupant = JID(f"{room}/bob")
    await wait_until(lambda: any(item(p)["role"] == "participant" for p in presences_from(bob, bob_occupant)))
    out["bob_role_after"] = item(presences_from(bob, bob_occupant)[-1])["role"]
    # The room sends each occupant its copy in turn: wait for alice's too before reading it.
    await wait_until(lambda: any(item(p)["role"] == "participant" for p in presences_from(alice, bob_occupant)))
    out["alice_saw_bob_role"] = item(presences_from(alice, bob_occupant)[-1])["role"]
    bob.send_message(mto=room, mbody="thank you", mtype="groupchat")
    await wait_until(lambda: any(m["body"] == "thank you" for m in alice.groupchat))
    out["alice_heard"] = [m["body"] for m in alice.groupchat]

    # Members: only an admin edits the list; a member speaks in a moderated room; membership can end.
    carol_jid = JID(f"carol@{carol.boundjid.domain}")
    try:
        await bob["xep_0045"].send_affiliation_list(room, [(carol_jid, "member")])
        out["bob_sets_members"] = "result"
    except IqError as e:
        out["bob_sets_members"] = f"{e.iq['error']['condition']}/{e.iq['error']['type']}"
    await alice["xep_0045"].send_affiliation_list(room, [(carol_jid, "member")])
    out["members"] = [str(j) for j in await alice["xep_0045"].get_affiliation_list(room, "member")]
    own, _, _, _ = await carol["xep_0045"].join_muc_wait(room, "carol", maxstanzas=0, timeout=10)
    out["carol_role"] = item(own)["role"]
    out["carol_affiliation"] = item(own)["affiliation"]
    carol.send_message(mto=room, mbody="member speaking", mtype="groupchat")
    await wait_until(lambda: any(m["body"] == "member speaking" for m in alice.groupchat))
    out["alice_heard_carol"] = any(m["body"] == "member speaking" for m in alice.groupchat)

    await alice["xep_0045"].set_affiliation(room, "none", jid=carol_jid)
    out["members_after"] = [str(j) for j in await alice["xep_0045"].get_affiliation_list(room, "member")]
    carol_occupant = JID(f"{room}/carol")
    await wait_until(lambda: item(presences_from(carol, carol_occupant)[-1])["affiliation"] == "none")
    last = item(presences_from(carol, carol_occupant)[-1])
    out["carol_after"] = {"affiliation": last["affiliation"], "role": last["role"]}
    return out


SCENARIOS = {"ban": ban, "password": password, "destroy": destroy, "voice": voice}


async def run(port, service, name, scenario):
    clients = {u: client(u, port) for u in ("alice", "bob", "carol")}
    await asyncio.wait_for(asyncio.gather(*(s for _, s in clients.values())), 20)
    alice, bob, carol = (clients[u][0] for u in ("alice", "bob", "carol"))
    try:
        return await SCENARIOS[scenario](alice, bob, carol, JID(f"{name}@{service}"))
    finally:
        for c in (alice, bob, carol):
            c.disconnect()


def main():
    port, service, name, scenario = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    scenario_client.run_and_print(run(port, service, name, scenario), 90)


if __name__ == "__main__":
    main()
