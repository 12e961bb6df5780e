"""`GET /healthz`: each service says whether it can do its work, checking its own database and broker;
`GET /healthz/live`: the process answers at all.

Every service has the Health dependency. The checks are kept per HTTP address, so a process that runs
several services on one address (embedded mode) answers for all of them, and a process of one service
for that one. /healthz answers 200 when every check passes and 503 otherwise (a load balancer's or
Kubernetes' readiness probe); /healthz/live answers 200 while the process serves requests (a liveness
probe: restarting a process because its database is away would not bring the database back). Each
check's answer is kept for a few seconds, so that frequent probes do not open a broker connection
each. The answer names the services and says `ok` or `failing` for each check, never why (the log
says): the endpoint answers anyone, as probes need.
"""
import logging
import time

import eventlet
from kombu import Connection
from nameko.constants import AMQP_URI_CONFIG_KEY, WEB_SERVER_CONFIG_KEY
from nameko.extensions import DependencyProvider
from sqlalchemy import text

from shared.config import site_id
from shared.web import Route, SharedWebServer, json_response

log = logging.getLogger(__name__)
TIMEOUT = 3.0        # seconds a check may take
KEEP = 5.0           # seconds a check's answer is kept
_CHECKS = {}         # HTTP address -> {service name: Health}


class Health(DependencyProvider):
    server = SharedWebServer()

    def setup(self):
        config = self.container.config
        self.service_name = self.container.service_name
        self.site = site_id(config)
        self.amqp_uri = str(config.get(AMQP_URI_CONFIG_KEY) or "")
        self.address = str(config.get(WEB_SERVER_CONFIG_KEY) or "")
        self._kept = {}
        _CHECKS.setdefault(self.address, {})[self.service_name] = self
        self.routes = [Route("/healthz", "GET", lambda request: answer(self.address)),
                       Route("/healthz/live", "GET", lambda request: json_response(200, {"status": "ok"}))]
        for route in self.routes:
            self.server.register_provider(route)

    def stop(self):
        _CHECKS.get(self.address, {}).pop(self.service_name, None)
        for route in self.routes:
            self.server.unregister_provider(route)

    kill = stop

    def checks(self):
        """{check: "ok" | "failing"} for this service: its database (if it has one) and its broker."""
        from shared.store import Database
        checks = {"broker": lambda: _broker_answers(self.amqp_uri)}
        database = Database.of(self.container)
        if database is not None:
            checks["database"] = lambda: _database_answers(database.engine)
        # side by side: the slowest check, not their sum, is what a probe waits for
        running = {name: eventlet.spawn(self._kept_or, name, check) for name, check in checks.items()}
        return {name: running[name].wait() for name in sorted(running, key=("database", "broker").index)}

    def _kept_or(self, name, check):
        at, value = self._kept.get(name, (None, None))
        if at is None or time.monotonic() - at > KEEP:
            try:
                with eventlet.Timeout(TIMEOUT):
                    check()
                value = "ok"
            except (Exception, eventlet.Timeout) as exc:  # eventlet's Timeout is a BaseException
                log.warning("health: %s's %s check failed: %s", self.service_name, name, type(exc).__name__)
                value = "failing"
            self._kept[name] = (time.monotonic(), value)
        return value


def answer(address):
    services = {name: health.checks() for name, health in sorted(_CHECKS.get(address, {}).items())}
    sites = {health.site for health in _CHECKS.get(address, {}).values()}
    healthy = bool(services) and all(v == "ok" for checks in services.values() for v in checks.values())
    return json_response(200 if healthy else 503, {"status": "ok" if healthy else "failing",
                                                   "site": next(iter(sites), None), "services": services})


def _database_answers(engine):
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def _broker_answers(amqp_uri):
    if amqp_uri.startswith("memory"):
        return  # the in-memory transport lives in this process
    with Connection(amqp_uri, connect_timeout=TIMEOUT) as conn:
        conn.ensure_connection(max_retries=1)
