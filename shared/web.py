"""HTTP: one web server per address per process, JSON helpers.

nameko gives each service container its own web server; two services of one process on the
same port then shadow each other. `SharedWebServer` keeps one listening socket per address and
routes to every container's endpoints, so embedded mode serves the API and /metrics of all
five services on one port, and a distributed process works exactly as nameko's own would.
Its socket comes from `shared.serving`: never with SO_REUSEPORT and, under `rongtuk run`, bound
before the services start, so a second process on an address in use refuses instead of sharing it.
"""
import json
import logging

from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WebServer
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from shared import serving

log = logging.getLogger(__name__)

JSON = "application/json; charset=utf-8"


class SharedWebServer(WebServer):
    _listeners = {}  # bind address -> the SharedWebServer holding its socket

    def __init__(self):
        super().__init__()
        self._members = []
        self._owner = None
        self._map_cache = (None, None)

    def register_provider(self, provider):
        Map([provider.get_url_rule()])  # a malformed route fails the service at start, not a request later
        super().register_provider(provider)

    def start(self):
        if self._starting:
            return
        self._starting = True
        addr = self.bind_addr
        owner = SharedWebServer._listeners.get(addr)
        if owner is None:
            SharedWebServer._listeners[addr] = self
            self._owner = self
            self._members = [self]
            # not nameko's eventlet.listen, which sets SO_REUSEPORT: see shared/serving.py
            self._sock, self._until_listening = serving.listener(addr)
            self._serv = self.get_wsgi_server(self._sock, SharedWsgiApp(self))
            self._gt = self.container.spawn_managed_thread(self.run)
        else:
            self._owner = owner
            owner._members.append(self)

    def run(self):  # the accept loop
        self._until_listening()  # under `rongtuk run`: until every service has started
        super().run()

    def stop(self):
        owner = self._owner
        if owner is self:
            SharedWebServer._listeners.pop(self.bind_addr, None)
            super().stop()
        else:
            if owner is not None and self in owner._members:
                owner._members.remove(self)
            super(WebServer, self).stop()  # ProviderCollector: wait for our endpoints to go

    def stop_accepting(self):
        """Refuse new connections on this address from now on (the process is stopping); the
        requests in progress finish. shared.serving calls it before it stops any entrypoint."""
        owner = self._owner
        if owner is not None and owner._sock is not None and owner._is_accepting:
            owner._is_accepting = False
            owner._gt.kill()
            owner._sock.close()

    def kill(self):
        if self._owner is self:
            SharedWebServer._listeners.pop(self.bind_addr, None)
            # nameko's WebServer leaves its socket open on kill; without SO_REUSEPORT a killed
            # server would then keep its address from the next one started in this process
            # (the accept loop first, as WebServer.stop does: a socket closed under it is an error)
            self._is_accepting = False
            if self._gt is not None:
                self._gt.kill()
            if self._sock is not None:
                self._sock.close()
        elif self._owner is not None and self in self._owner._members:
            self._owner._members.remove(self)

    def url_map(self):
        providers = frozenset(p for member in self._members for p in member._providers)
        cached_for, cached_map = self._map_cache
        if cached_for != providers:
            url_map = Map()
            for provider in sorted(providers, key=lambda p: p.get_url_rule().rule):
                rule = provider.get_url_rule()
                rule.endpoint = provider
                url_map.add(rule)
            self._map_cache = (providers, url_map)
            cached_map = url_map
        return cached_map


class SharedWsgiApp:
    def __init__(self, server):
        self.server = server

    def __call__(self, environ, start_response):
        request = Request(environ, shallow=True)
        adapter = self.server.url_map().bind_to_environ(environ)
        try:
            provider, values = adapter.match()
            request.path_values = values
            response = provider.handle_request(request)
        except HTTPException as exc:  # keep what the exception says in headers (Allow on a 405)
            headers = [(k, v) for k, v in exc.get_headers(environ) if k.lower() != "content-type"]
            response = json_response(exc.code, {"error": exc.name.lower().replace(" ", "_"),
                                                "message": exc.description}, headers=headers)
        return response(environ, start_response)


class HttpEndpoint(HttpRequestHandler):
    server = SharedWebServer()

    def response_from_exception(self, exc):
        if isinstance(exc, HTTPException):
            return json_response(exc.code, {"error": exc.name.lower().replace(" ", "_")})
        log.error("unhandled error in %s: %r", self.method_name, exc)
        return json_response(500, {"error": "internal_error",
                                   "message": "The server could not complete the request."})


http = HttpEndpoint.decorator


def json_response(status, payload, headers=None):
    return Response(json.dumps(payload, ensure_ascii=False, default=str), status=status,
                    content_type=JSON, headers=headers)


class Route:
    """A route served by a dependency rather than an entrypoint (e.g. /metrics)."""

    def __init__(self, url, method, respond):
        self.url = url
        self.method = method
        self._respond = respond

    def get_url_rule(self):
        return Rule(self.url, methods=[self.method])

    def handle_request(self, request):
        return self._respond(request)


# JSON escapes Thai as \uXXXX (six bytes a character): 1 MB of text must still reach field validation
MAX_BODY_BYTES = 8 * 1024 * 1024


class InvalidRequest(Exception):
    """Bad input from a client: answered with 400 and field-level errors, nothing changed."""

    def __init__(self, errors, status=400):
        super().__init__("invalid request")
        self.errors = errors
        self.status = status

    def response(self):
        return json_response(self.status, {"error": "invalid_request", "errors": self.errors})


def read_json_object(request, max_bytes=MAX_BODY_BYTES):
    """The request body as a JSON object, or InvalidRequest saying exactly what is wrong."""
    length = request.content_length
    if length is not None and length > max_bytes:
        raise InvalidRequest({"_body": [f"Request body is larger than {max_bytes} bytes."]}, 413)
    raw = request.get_data(cache=False)
    if len(raw) > max_bytes:
        raise InvalidRequest({"_body": [f"Request body is larger than {max_bytes} bytes."]}, 413)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidRequest({"_body": [f"Request body is not valid UTF-8 (byte {exc.start})."]})
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise InvalidRequest({"_body": [f"Request body is not valid JSON: {exc}."]})
    if not isinstance(body, dict):
        raise InvalidRequest({"_body": ["Request body must be a JSON object."]})
    return body


def load_or_400(schema, body):
    from marshmallow import ValidationError
    try:
        return schema.load(body)
    except ValidationError as exc:
        raise InvalidRequest(exc.messages)
