"""The emulator's clock, for what AWS does by itself as time passes (a lifecycle action timing out).

Not an AWS behaviour: moto keeps no time of its own, and a replay or a test compresses minutes
into seconds. The clock is real time plus the time compressed so far: sqs/release-delayed moves
it forward by the wait it skipped, and clock/advance by a given number of seconds, so what the
local scheduler's clock and the emulator's clock agree on how much time has passed.
"""
import time

_skipped = 0.0


def now():
    return time.time() + _skipped


def advance(seconds):
    global _skipped
    _skipped += max(0.0, float(seconds))


def reset():
    global _skipped
    _skipped = 0.0


def control_advance(body):
    """clock/advance {seconds}: time passes (only forward)."""
    seconds = float(body["seconds"])
    if seconds < 0:
        raise ValueError("the clock only moves forward")
    advance(seconds)
    return {"now": now(), "skipped": _skipped}
