"""Compressed time for SQS delay queues, for the local scheduler only (not an AWS behaviour).

A drain waits by sending itself a message with DelaySeconds. A replay simulates minutes in
seconds, so the local scheduler asks sqs/release-delayed to make the queue's earliest delayed
messages visible now, and learns by how much it moved time forward, to advance its own clock.
"""
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.utils import unix_time_millis
from moto.sqs.models import sqs_backends


def control_release(body):
    backend = sqs_backends[body.get("account", DEFAULT_ACCOUNT_ID)][body["region"]]
    queue = backend.get_queue(body["queue"])
    now = unix_time_millis()
    delayed = [m for m in queue._messages if m.delayed]
    if not delayed:
        return {"released": 0, "seconds": 0}
    earliest = min(m.delayed_until for m in delayed)
    # Everything due within a second of the earliest goes together, as a poller would see it.
    batch = [m for m in delayed if m.delayed_until <= earliest + 1000]
    for message in batch:
        message.delayed_until = 0
    return {"released": len(batch), "seconds": max(0, round((earliest - now) / 1000))}
