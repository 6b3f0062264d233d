"""The kernel client's channels (forkkernel.WakefulChannel) read a message whose wakeup was lost.

pyzmq's asyncio socket learns of a message from an edge on its file descriptor; when that edge
is consumed elsewhere (here: the socket's events read directly, as libzmq lets any caller do),
jupyter_client's channel sleeps until its timeout, and nbclient waits for a cell's outputs with
none. Seen as a 900 s hang of tests/intake/test_explorer_notebook.py in CI, and as runs of
explore.ipynb that waited out their whole execution timeout.
"""

from __future__ import annotations

import asyncio
import time

import pytest
import zmq
import zmq.asyncio
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.session import Session

from gcmtools.build import forkkernel


async def _read_after_a_lost_wakeup(channel_class, timeout):
    """Start the channel's wait, deliver one message, consume the socket's edge before the event
    loop sees it, then return (the message type, seconds the wait took after delivery)."""
    ctx = zmq.asyncio.Context()
    sender_ctx = zmq.Context()
    receiver = ctx.socket(zmq.DEALER)
    sender = sender_ctx.socket(zmq.DEALER)
    try:
        port = receiver.bind_to_random_port("tcp://127.0.0.1")
        sender.connect(f"tcp://127.0.0.1:{port}")
        session = Session()
        channel = channel_class(receiver, session)
        waiting = asyncio.ensure_future(channel.get_msg(timeout=timeout))
        await asyncio.sleep(0.05)  # the wait has registered its poll; the loop now sleeps on the fd
        assert not waiting.done()
        session.send(sender, "execute_reply", {"status": "ok"})
        shadow = zmq.Socket.shadow(receiver.underlying)
        # without yielding to the loop: read the events until the message is there, which
        # consumes the edge the loop would have woken on
        while not shadow.get(zmq.EVENTS) & zmq.POLLIN:
            time.sleep(0.01)
        delivered = time.monotonic()
        msg = await asyncio.wait_for(waiting, 60)  # the plain channel, timeout None: forever
        return msg["msg_type"], time.monotonic() - delivered
    finally:
        receiver.close(linger=0)
        sender.close(linger=0)
        ctx.term()
        sender_ctx.term()


def test_jupyter_clients_channel_sleeps_through_a_lost_wakeup():
    """The fault, reproduced: the plain channel finds the message only when its timeout ends
    (if this fails, pyzmq or jupyter_client changed, and the test below proves nothing)."""
    kind, waited = asyncio.run(_read_after_a_lost_wakeup(AsyncZMQSocketChannel, timeout=1.5))
    assert kind == "execute_reply"
    assert waited >= 1.0, f"the message was read {waited:.2f} s after delivery: the wakeup was not lost"


def test_wakeful_channel_reads_the_message_without_a_timeout():
    """Without a timeout (how nbclient waits for outputs) the plain channel would wait forever;
    the wakeful one looks again every WAKE seconds."""
    kind, waited = asyncio.run(_read_after_a_lost_wakeup(forkkernel.WakefulChannel, timeout=None))
    assert kind == "execute_reply"


def test_wakeful_channel_still_times_out():
    """Nothing arrives: Empty after the timeout, as jupyter_client's channel raises it."""
    from queue import Empty

    async def wait():
        ctx = zmq.asyncio.Context()
        sock = ctx.socket(zmq.DEALER)
        sock.bind_to_random_port("tcp://127.0.0.1")
        try:
            start = time.monotonic()
            with pytest.raises(Empty):
                await forkkernel.WakefulChannel(sock, Session()).get_msg(timeout=1.2)
            return time.monotonic() - start
        finally:
            sock.close(linger=0)
            ctx.term()

    assert asyncio.run(wait()) >= 1.2


def test_the_build_client_uses_wakeful_channels():
    client = forkkernel.ForkingKernelManager().client()
    for name in ("shell_channel", "iopub_channel", "stdin_channel", "control_channel"):
        assert isinstance(getattr(client, name), forkkernel.WakefulChannel), name
