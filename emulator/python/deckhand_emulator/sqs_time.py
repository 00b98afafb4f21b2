"""Compressed time for SQS delay queues, for the local scheduler only (not an AWS behaviour).

A drain waits by sending itself a message with DelaySeconds. A replay simulates minutes in
seconds, so the local scheduler asks sqs/release-delayed to make the queue's earliest delayed
messages visible now, and learns by how much it moved time forward, to advance its own clock
(the emulator's clock, clock.py, moves forward by as much).

With {"inFlight": true}, a message received and not deleted (in flight until its visibility
timeout ends, or the time ChangeMessageVisibility set) counts too: it becomes visible when its
time comes, as SQS delivers it again then. Without it, only delayed messages are released.
"""
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.utils import unix_time_millis
from moto.sqs.models import sqs_backends

from . import clock


def control_release(body):
    backend = sqs_backends[body.get("account", DEFAULT_ACCOUNT_ID)][body["region"]]
    queue = backend.get_queue(body["queue"])
    now = unix_time_millis()
    due = []  # (message, the field that holds it back, until when)
    for message in queue._messages:
        if message.delayed:
            due.append((message, "delayed_until", message.delayed_until))
        elif body.get("inFlight") and not message.visible:
            due.append((message, "visible_at", message.visible_at))
    if not due:
        return {"released": 0, "seconds": 0}
    earliest = min(at for _, _, at in due)
    # Everything due within a second of the earliest goes together, as a poller would see it.
    batch = [(m, field) for m, field, at in due if at <= earliest + 1000]
    for message, field in batch:
        setattr(message, field, 0)
    seconds = max(0, round((earliest - now) / 1000))
    clock.advance(seconds)
    return {"released": len(batch), "seconds": seconds}
