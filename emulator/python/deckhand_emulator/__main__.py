"""Run moto_server on 127.0.0.1 with Deckhand's fidelity fixes applied."""
import argparse
import sys


def main() -> None:
    parser = argparse.ArgumentParser(prog="deckhand_emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()

    from . import ecs_fixes, ec2_fixes

    ecs_fixes.apply()
    ec2_fixes.apply()

    from moto.server import main as moto_main

    moto_main(["-H", args.host, "-p", str(args.port)])


if __name__ == "__main__":
    sys.exit(main())
