"""Running services in this process: one listener per address, and a stop that always ends.

nameko's own `run` (nameko/cli/run.py) has two faults this module exists for:

- its web server listens with eventlet's default SO_REUSEPORT, so a second process started on
  an address in use shares the port with the first: two independent systems, requests
  alternating between them. `run` binds the address without SO_REUSEPORT before any service
  starts, so a second process refuses at once; of two started at the same moment, the kernel
  lets exactly one listen (see `_EarlyBind`);
- each SIGTERM spawns another `ServiceRunner.stop`: a second signal runs the stop twice at
  once, which fails inside nameko's extensions and leaves the process hanging, and a second
  Ctrl-C during the stop raises KeyboardInterrupt wherever the process happens to be. `Stopping`
  turns the first SIGTERM or SIGINT into one graceful stop with a time limit, then a kill;
  later signals are logged once and do not start another stop (a second SIGINT, an operator
  pressing Ctrl-C again, cuts the graceful stop short).

And one fault of stopping several services in one process: nameko stops them all at once, each
with its RPC endpoints first, so a worker of one service still calling another (notify asking
intake for a contact) waits out its RPC timeout and fails. `Container` stops in two steps.
"""
import errno
import gc
import logging
import os
import signal
import time

import eventlet
import eventlet.debug
from eventlet import hubs, patcher
from eventlet.green import socket as green_socket
from eventlet.queue import Empty, LightQueue
from nameko.constants import WEB_SERVER_CONFIG_KEY
from nameko.containers import ServiceContainer
from nameko.exceptions import ConfigurationError
from nameko.rpc import Rpc
from nameko.runners import ServiceRunner
from nameko.utils.concurrency import SpawningProxy, SpawningSet
from nameko.web.server import parse_address

log = logging.getLogger("rongtuk")

# The first signal gives workers this long to finish: enough for the requests and handlers in
# flight and for nameko's consumers, which each notice a stop within 0.2 s (shared/delivery.py's
# STOP_CHECK_SECONDS; an embedded stop takes about 0.6 s, idle). A worker stuck
# longer (e.g. on an RPC to a process that has gone) is killed; its message stays unacknowledged
# for the broker to deliver again (kombu's memory transport loses it: see docs/operations.md).
GRACE_SECONDS = 6.0
# nameko's kill is quick, but it is bounded too: the process exits whatever it leaves behind.
KILL_SECONDS = 2.0
# Whatever blocks (even the eventlet hub itself), the process is gone this long after the first
# signal: init systems and operators get a stop they can rely on, under 10 s.
HARD_EXIT_SECONDS = 9.0

EXIT_STOPPED = 0  # every service stopped gracefully
EXIT_KILLED = 1   # the graceful stop was cut short: work in progress may have been abandoned

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
STOPPED = object()  # on Stopping.events: runner.stop returned; anything else there is why to kill


class CannotListen(Exception):
    """HTTP cannot be served as configured (the address cannot be had, or an HTTP setting is
    wrong); the message says which and why, for the operator."""


def address_text(address):
    host, port = address
    return f"{host or '0.0.0.0'}:{port}"


def _cannot_listen(address, exc):
    where = address_text(address)
    if exc.errno == errno.EADDRINUSE:
        return CannotListen(
            f"cannot listen on {where}: another process is already listening there "
            f"(is rongtuk already running?). Stop it, or choose another address "
            f"(PORT in embedded mode, WEB_SERVER_ADDRESS in distributed mode).")
    return CannotListen(f"cannot listen on {where}: {exc.strerror}")


def _bind(address):
    # SO_REUSEADDR, as eventlet.listen sets it: a restart must not wait for the old connections'
    # TIME_WAIT, and on Linux it never lets two sockets listen on one address. Not SO_REUSEPORT,
    # which eventlet.listen also sets unless told otherwise: that one does, and is what let two
    # `rongtuk run` share a port.
    sock = green_socket.socket(green_socket.AF_INET, green_socket.SOCK_STREAM)
    sock.setsockopt(green_socket.SOL_SOCKET, green_socket.SO_REUSEADDR, 1)
    try:
        sock.bind(tuple(address))
    except OSError as exc:
        sock.close()
        raise _cannot_listen(address, exc) from None
    return sock


def _listen(sock, address):
    try:
        sock.listen(50)  # eventlet.listen's backlog, which nameko used
    except OSError as exc:
        sock.close()
        raise _cannot_listen(address, exc) from None
    sock.settimeout(None)  # as nameko does: https://github.com/celery/kombu/issues/838


class _EarlyBind:
    """The HTTP address `run` binds before any service starts, and makes listen once all have.

    Bound but not yet listening, the socket holds the address without taking connections: a
    client is refused at once while the services start, as before, rather than left waiting in
    the backlog. Binding fails if another process listens there (the common case: rongtuk
    already running). Two processes started at the same moment can both bind; the kernel then
    lets exactly one of them listen, and the other refuses there, with its services killed.
    """

    def __init__(self, address):
        self.address = address
        self.sock = _bind(address)
        self.listening = eventlet.Event()
        self.claimed = False


_early = {}  # address -> _EarlyBind, while `run` starts the services


def listener(address):
    """The socket a web server at address serves on, and what its accept loop calls first.

    Under `run`, the early-bound socket, which listens once every service has started (the
    accept loop waits for that); otherwise (`nameko run`, tests) a new socket, listening now.
    Raises CannotListen.
    """
    early = _early.get(address)
    if early is not None and not early.claimed:
        early.claimed = True
        return early.sock, early.listening.wait
    sock = _bind(address)
    _listen(sock, address)
    return sock, lambda: None


_stopping = None  # this process's Stopping, once handle_stop_signals has installed it


def handle_stop_signals():
    """From now on SIGTERM and SIGINT stop this process cleanly, also before services start."""
    global _stopping
    if _stopping is None:
        _stopping = Stopping()
    return _stopping


def run(service_classes, config):
    """Run the services until a signal stops them; returns the process's exit code.

    Raises CannotListen when the HTTP address is taken: before any service starts, or, when
    another process started at the same moment won it, once they have started (and been killed).
    """
    stopping = handle_stop_signals()
    if stopping.requested:  # while migrating, say: nothing to stop yet
        log.info("stop requested before the services started: not starting them")
        return EXIT_STOPPED
    from shared import redact, web  # web imports this module
    redact.install()  # no access code or API key in any line logged from here on
    try:
        web.HttpSettings.from_config(config)  # a wrong setting refuses now, before anything starts
    except ConfigurationError as exc:
        raise CannotListen(f"cannot serve HTTP: {exc}") from None
    runner = ServiceRunner(config)
    if "SERVICE_CONTAINER_CLS" not in config:
        runner.container_cls = Container
    for cls in service_classes:
        runner.add_service(cls)
    early = _EarlyBind(parse_address(config.get(WEB_SERVER_CONFIG_KEY, "0.0.0.0:8000")))
    _early[early.address] = early
    stopping.runner = runner
    try:
        runner.start()
        if early.claimed:
            _listen(early.sock, early.address)
    except BaseException:
        stopping.abandon_start()
        raise
    finally:
        del _early[early.address]
    if early.claimed:
        early.listening.send()
    else:
        # every service serves /metrics, so a web server always claims it; should one ever
        # not, the address is left to others rather than held by a socket nobody listens on
        log.warning("no service serves HTTP at %s", address_text(early.address))
        early.sock.close()
    return stopping.serve()


class Container(ServiceContainer):
    """nameko's service container, stopped in two steps by `run` (nameko's own stop is the second).

    In one process all services stop together. Step one stops, in each, the entrypoints that
    start work by themselves (HTTP, event handlers, timers) and waits for its workers, while every
    service's RPC endpoints keep answering; step two, nameko's `stop`, then finds only RPC
    endpoints to stop, and no worker left to call them.
    """

    def stop_starting_work(self):
        if self._being_killed or self._died.ready():
            return
        # an extension that listens for clients (shared.web's server) closes its socket first:
        # from now on a client is refused, rather than answered 404 by routes already gone
        for extension in self.subextensions:
            stop_accepting = getattr(extension, "stop_accepting", None)
            if stop_accepting is not None:
                stop_accepting()
        sources = [e for e in self.entrypoints if not isinstance(e, Rpc)]
        SpawningProxy(sources).stop()
        # nameko's stop() stops every entrypoint in this set: not these again (a timer stopped
        # twice fails, an event handler unregisters twice)
        self.entrypoints = SpawningSet(self.entrypoints.difference(sources))
        self._worker_pool.waitall()


class Stopping:
    """One graceful stop per process, however many stop signals arrive, and always an end.

    Signal handlers run between two bytecodes of whatever greenlet is current, where eventlet's
    primitives must not be used (nameko spawns from there). Ours only start the hard-exit
    watchdog; the signal numbers reach a green thread through the wakeup fd, and everything
    else happens there.
    """

    def __init__(self):
        self.runner = None  # set by run() before it starts the services
        self.first_at = None  # when the first stop signal arrived (set by the handler itself)
        self.stopping = False
        self.failed = False  # a service died: the process exits 1 however the others stop
        self.repeats_logged = set()
        self.killing = False
        self.events = LightQueue()
        self.started = eventlet.Event()
        self.done = eventlet.Event()
        self._install()

    # -- signals

    def _install(self):
        read_fd, write_fd = os.pipe()
        os.set_blocking(read_fd, False)
        os.set_blocking(write_fd, False)
        signal.set_wakeup_fd(write_fd)
        for signum in STOP_SIGNALS:
            # SIGINT too when inherited as ignored (a job started with `&` by a script): a
            # service's stop signals must not depend on how its shell started it
            signal.signal(signum, self._on_signal)
        eventlet.spawn_n(self._read_signals, read_fd)

    @property
    def requested(self):
        return self.first_at is not None

    def _on_signal(self, signum, frame):
        if self.first_at is None:
            self.first_at = time.monotonic()
            _start_watchdog(signal.Signals(signum).name)

    def _read_signals(self, read_fd):
        while True:
            hubs.trampoline(read_fd, read=True)
            try:
                received = os.read(read_fd, 64)
            except BlockingIOError:
                continue
            for signum in received:
                if signum in STOP_SIGNALS:
                    self._signalled(signal.Signals(signum))

    def _signalled(self, sig):
        if not self.stopping:
            self._begin(f"{sig.name} received")
        elif sig == signal.SIGINT and sig not in self.repeats_logged:
            self.repeats_logged.add(sig)
            log.warning("SIGINT received again: killing services now, without waiting for work "
                        "in progress")
            self.events.put("SIGINT received again")
        elif sig not in self.repeats_logged:
            self.repeats_logged.add(sig)
            log.info("%s received while stopping: ignored", sig.name)

    def _begin(self, why):
        self.stopping = True
        if self.first_at is None:  # not a signal: a service failed
            self.first_at = time.monotonic()
            _start_watchdog(why)
        log.info("%s: stopping services (killed if not stopped within %g s)", why, GRACE_SECONDS)
        eventlet.spawn_n(self._stop)

    # -- stopping

    def _stop(self):
        self.started.wait()  # a signal during start: stop once the containers are up
        if not self.events.empty():  # hurried before start finished
            self._kill(self.events.get())
            return
        stopper = eventlet.spawn(self._graceful_stop)
        stopper.link(lambda _: self.events.put(STOPPED))
        remaining = self.first_at + GRACE_SECONDS - time.monotonic()
        try:
            outcome = self.events.get(timeout=max(remaining, 0))
        except Empty:
            outcome = f"not stopped within {GRACE_SECONDS:g} s"
        if outcome is not STOPPED:
            self._kill(outcome)
            return
        error = stopper.wait()
        if error is not None:  # an extension failed to stop: the kill still ends the process
            self._kill(f"stopping failed: {error!r}")
        else:
            log.info("services stopped")
            self._finish(EXIT_KILLED if self.failed else EXIT_STOPPED)

    def _graceful_stop(self):
        """None once every service has stopped, else the error that stopped the stop."""
        try:
            # first, in every service at once, whatever starts work, while all RPC endpoints
            # still answer the workers finishing; then nameko's stop, with only those left
            SpawningProxy([c for c in self.runner.containers if isinstance(c, Container)]
                          ).stop_starting_work()
            self.runner.stop()
        except Exception as exc:
            log.error("stopping services failed", exc_info=exc)  # a bug: worth its traceback
            return exc
        return None

    def _kill(self, reason):
        if self.killing:
            return
        self.killing = True
        # From here the graceful stop still under way is abandoned; its green threads may fail
        # against extensions the kill tears down, and the hub would print each as a traceback.
        eventlet.debug.hub_exceptions(False)
        log.warning("killing services: %s", reason)
        killer = eventlet.spawn(self.runner.kill)
        with eventlet.Timeout(KILL_SECONDS, False):
            try:
                killer.wait()
            except Exception as exc:
                log.debug("kill raised %r", exc)
        self._finish(EXIT_KILLED)

    def _finish(self, code):
        if not self.done.ready():
            self.done.send(code)

    # -- the main greenlet

    def serve(self):
        self.started.send(True)
        eventlet.spawn_n(self._watch_services)
        code = self.done.wait()
        # The interpreter's last garbage collection over this heap (~300 MB in embedded mode) took
        # about 1.5 s of the stop here; with the services stopped, what it would free is the
        # operating system's to take back. Objects are still freed by reference count.
        gc.freeze()
        return code

    def _watch_services(self):
        # The containers can also end without a signal: one dies of an error. nameko's
        # runner.wait would then stop the others itself, alongside any stop a signal starts;
        # here the one stop above does it.
        try:
            SpawningProxy(self.runner.containers, abort_on_error=True).wait()
        except Exception as exc:
            log.error("a service failed: %s", exc)  # nameko has logged its traceback
            self.failed = True
            if not self.stopping:
                self._begin("a service failed")
            return
        if not self.stopping:
            self._finish(EXIT_STOPPED)

    def abandon_start(self):
        """runner.start failed: kill what did start, so the process does not linger on it."""
        eventlet.debug.hub_exceptions(False)
        with eventlet.Timeout(KILL_SECONDS, False):
            try:
                self.runner.kill()
            except Exception as exc:
                log.debug("kill after a failed start raised %r", exc)


# A real thread, not a green one: the watchdog must fire even if the hub itself is blocked. It
# uses nothing green (not logging: its locks are green), and the unpatched modules are looked up
# here, at import, because a signal handler may interrupt an import in progress.
_real_thread = patcher.original("_thread")
_real_time = patcher.original("time")
_real_os = patcher.original("os")


def _start_watchdog(signal_name):
    def watch():
        _real_time.sleep(HARD_EXIT_SECONDS)
        _real_os.write(2, f"rongtuk: still running {HARD_EXIT_SECONDS:g} s after {signal_name}; "
                          f"exiting now\n".encode())
        _real_os._exit(EXIT_KILLED)

    _real_thread.start_new_thread(watch, ())
