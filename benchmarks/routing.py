"""Routing's cost: classifications per second, and the latency it adds to a case's event round trip.

    make bench-routing      # or: .venv/bin/python -m benchmarks.routing [--cases 200]

The measuring lives in benchmarks/routing_cost.py; this entry point first lets eventlet patch the
standard library, as `nameko run` does, before nameko, sockets or time are imported.
"""
import warnings


def main():
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)
    import eventlet
    eventlet.monkey_patch()
    from benchmarks.routing_cost import main as measure
    measure()


if __name__ == "__main__":
    main()
