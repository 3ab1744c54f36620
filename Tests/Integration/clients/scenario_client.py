"""What every slixmpp scenario needs: a logged-in client on the loopback test server, and a bounded wait."""
import asyncio
import json

import slixmpp


def client(user, port, plugins):
    """Starts connecting user@localhost (password 'pass', no TLS); returns the client and a future set at session start."""
    c = slixmpp.ClientXMPP(f"{user}@localhost/slix", "pass")
    for plugin in plugins:
        c.register_plugin(plugin)
    # Loopback test server without TLS: allow PLAIN in the clear.
    c["feature_mechanisms"].unencrypted_plain = True
    started = asyncio.get_event_loop().create_future()
    c.add_event_handler("session_start", lambda _: started.done() or started.set_result(True))
    c.connect(("127.0.0.1", port), disable_starttls=True)
    return c, started


async def wait_until(predicate, timeout=10):
    """Polls predicate until it holds or timeout seconds pass; returns whether it held."""
    for _ in range(int(timeout * 20)):
        if predicate():
            return True
        await asyncio.sleep(0.05)
    return False


def run_and_print(scenario, timeout):
    """Runs one scenario coroutine within timeout seconds and prints its findings as one JSON line, which the test reads."""
    out = asyncio.get_event_loop().run_until_complete(asyncio.wait_for(scenario, timeout))
    print(json.dumps(out))
