"""The local AWS for Deckhand: moto_server, pinned, with the fidelity fixes Deckhand relies on.

Every fix here makes moto answer as AWS documents; each is pinned by a fidelity test in
emulator/src/test/java. Start it with `python3 -m deckhand_emulator --port N` (the Java harness
`dev.deckhand.emulator.LocalAws` does this on a free loopback port and stops it by PID).
"""
