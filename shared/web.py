"""HTTP: one web server per address per process, bodies read within limits, JSON helpers.

nameko gives each service container its own web server; two services of one process on the
same port then shadow each other. `SharedWebServer` keeps one listening socket per address and
routes to every container's endpoints, so embedded mode serves the API and /metrics of all
five services on one port, and a distributed process works exactly as nameko's own would.
Its socket comes from `shared.serving`: never with SO_REUSEPORT and, under `rongtuk run`, bound
before the services start, so a second process on an address in use refuses instead of sharing it.

What a client sends is read by the connection's own green thread, before any worker is taken
(nameko's handler spawns one per request, `max_workers` per service, and a worker that reads a
body from a slow client is held as long as the client likes): every endpoint declares the body
it takes (`body=JSON` or `body=FORM`, and its largest size); the server checks the media type and
the size, reads the body within `HTTP.read_timeout` per read and `HTTP.body_timeout` in all, and
only then hands the request, its body in memory, to the endpoint. A slow client gets 408, a body
too large 413, a wrong media type 415, and none of them costs a worker. Bodies being read at
once are bounded in bytes (`HTTP.body_memory`, then 503). See docs/operations.md#security.

What an endpoint cannot do for a client is a refusal, answered here and only here: a service
declares which exceptions are refusals and their answer (`refusal`, and `remote_refusal` for those
another service's RPC raises, which arrive as nameko RemoteErrors naming their class), the
endpoint raises them, and `http` turns them into the answer, in the endpoint's error format.
"""
import functools
import io
import ipaddress
import json
import logging
import re
import socket
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import eventlet
from eventlet import wsgi
from nameko.exceptions import ConfigurationError, RemoteError
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import HttpOnlyProtocol, WebServer
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_options_header
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from shared import serving
from shared.redact import RedactingLog, redact
from shared.rpc import RpcTimeout

log = logging.getLogger(__name__)

JSON_TYPE = "application/json; charset=utf-8"
JSON = "json"   # an endpoint's body: a JSON document (Content-Type application/json)
FORM = "form"   # an endpoint's body: an HTML form (urlencoded or multipart)
JSON_OR_FORM = "json_or_form"  # either, as the sender likes (a gateway's callback)
KiB, MiB = 1024, 1024 * 1024

# HTTP.* settings and their defaults (docs/operations.md#security lists each)
HTTP_DEFAULTS = {
    "public_url": "",            # the site's public base URL; unset: links are relative ("/open311/v2")
    "read_timeout": 10.0,        # seconds a client may stay silent mid-request (and idle between requests)
    "body_timeout": 60.0,        # seconds to receive a whole body
    "body_memory": 64 * MiB,     # bytes of bodies being received at once, all connections together
    "max_case_body": 8 * MiB,    # POST /api/v1/cases (attachments travel base64-encoded in it)
    "max_json_body": 256 * KiB,  # every other JSON body (look-ups, officers' actions, the reveal)
    "max_form_body": 64 * KiB,   # Open311 POST requests (4,000 Thai characters are 36 KB url-encoded)
    "max_form_fields": 50,       # fields of an Open311 form
    "max_line_body": 1 * MiB,    # the LINE webhook
    "trusted_proxies": "",       # reverse proxies whose X-Forwarded-For names the client; unset: none
}
# A refused body still on its way is read and thrown away for this long, and this much at most,
# before the connection closes: a client sending it then reads the answer instead of a reset.
LINGER_SECONDS = 5.0
LINGER_BYTES = 64 * MiB
READ_CHUNK = 64 * KiB


@dataclass(frozen=True)
class HttpSettings:
    public_url: str
    read_timeout: float
    body_timeout: float
    body_memory: int
    max_case_body: int
    max_json_body: int
    max_form_body: int
    max_form_fields: int
    max_line_body: int
    trusted_proxies: tuple = ()

    @classmethod
    def from_config(cls, config):
        """The HTTP section of a config, checked; ConfigurationError says what is wrong."""
        section = config.get("HTTP") or {}
        if not isinstance(section, dict):
            raise ConfigurationError("HTTP must be a mapping of settings")
        unknown = set(section) - set(HTTP_DEFAULTS)
        if unknown:
            raise ConfigurationError(f"HTTP: unknown settings {', '.join(sorted(unknown))}")
        values = {}
        for key, default in HTTP_DEFAULTS.items():
            value = section.get(key)
            if value is None or value == "":
                value = default
            if key == "public_url":
                values[key] = _public_url(value)
                continue
            if key == "trusted_proxies":
                values[key] = _networks(value)
                continue
            try:
                value = type(default)(value)
            except (TypeError, ValueError):
                raise ConfigurationError(f"HTTP.{key} must be a number, not {value!r}") from None
            if value <= 0:
                raise ConfigurationError(f"HTTP.{key} must be more than 0")
            values[key] = value
        return cls(**values)


def _public_url(value):
    url = str(value).strip().rstrip("/")
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigurationError(f"HTTP.public_url must be an absolute http(s) URL without query, "
                                 f"e.g. https://rongtuk.example.go.th, not {value!r}")
    return url


def _networks(value):
    """HTTP.trusted_proxies: addresses or networks (CIDR), a list or one string separated by commas or
    spaces, e.g. "127.0.0.1, 10.0.0.0/24"."""
    items = value if isinstance(value, (list, tuple)) else str(value).replace(",", " ").split()
    networks = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(str(item).strip(), strict=False))
        except ValueError:
            raise ConfigurationError(f"HTTP.trusted_proxies: {item!r} is not an address or a network "
                                     f"(e.g. 10.0.0.5 or 10.0.0.0/24)") from None
    return tuple(networks)


def public_url(config):
    """The base URL links to this site are made from: HTTP.public_url, or "" (links relative to
    wherever the client reached us), never the Host header a client sent."""
    return HttpSettings.from_config(config).public_url


# -- the server ---------------------------------------------------------------------------------

class SharedWebServer(WebServer):
    _listeners = {}  # bind address -> the SharedWebServer holding its socket

    def __init__(self):
        super().__init__()
        self._members = []
        self._owner = None
        self._map_cache = (None, None)
        self.settings = None
        self.budget = None

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
            self.settings = HttpSettings.from_config(self.container.config)
            self.budget = BodyBudget(self.settings.body_memory)
            # not nameko's eventlet.listen, which sets SO_REUSEPORT: see shared/serving.py
            self._sock, self._until_listening = serving.listener(addr)
            self._serv = self.get_wsgi_server(self._sock, SharedWsgiApp(self))
            self._gt = self.container.spawn_managed_thread(self.run)
        else:
            self._owner = owner
            owner._members.append(self)

    def get_wsgi_server(self, sock, wsgi_app, protocol=None, debug=False):
        # socket_timeout: each read from a client (request line, headers, body) and each wait for
        # the next request on a kept-alive connection ends after HTTP.read_timeout seconds;
        # nameko's own server has none. Every line it logs goes through the redaction.
        return wsgi.Server(sock, sock.getsockname(), wsgi_app, protocol=protocol or Protocol, debug=debug,
                           log=RedactingLog(logging.getLogger("nameko.web.server")),
                           socket_timeout=self.settings.read_timeout)

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
            seen = set()
            for provider in sorted(providers, key=lambda p: p.get_url_rule().rule):
                rule = provider.get_url_rule()
                if (rule.rule, frozenset(rule.methods or ())) in seen:
                    continue  # every service's /metrics: one answers for the process
                seen.add((rule.rule, frozenset(rule.methods or ())))
                rule.endpoint = provider
                url_map.add(rule)
            self._map_cache = (providers, url_map)
            cached_map = url_map
        return cached_map


class Protocol(HttpOnlyProtocol):
    """eventlet's HTTP/1.1 protocol with the request line and the headers each bounded in time as
    a whole (the socket timeout bounds only each read: a client sending a byte every few seconds
    would otherwise hold a connection for hours), a way for the application to close the
    connection after its answer, and BaseHTTPRequestHandler's own messages (which write the
    request line to stderr) sent to the redacting log instead."""

    def _read_request_line(self):
        line = ""
        with eventlet.Timeout(self.server.socket_timeout, False):
            line = super()._read_request_line()
            return line
        self.close_connection = 1
        return ""

    def parse_request(self):
        with eventlet.Timeout(self.server.socket_timeout, False):
            return super().parse_request()
        self.close_connection = 1
        try:
            self.wfile.write(b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
            self.wfile.flush()
        except OSError:
            pass
        return False

    def get_environ(self):
        environ = super().get_environ()
        environ["rongtuk.close_connection"] = self._close_after_response
        return environ

    def _close_after_response(self):
        self.close_connection = 1

    def log_message(self, format, *args):
        self.server.log.info("%s %s", self.address_string(), format % args)


class BodyBudget:
    """Bytes of request bodies being received at once, across every connection of a process."""

    def __init__(self, limit):
        self.limit = limit
        self.used = 0

    def take(self, amount):
        if self.used + amount > self.limit:
            return False
        self.used += amount
        return True

    def give(self, amount):
        self.used = max(0, self.used - amount)


@dataclass(frozen=True)
class BodySpec:
    """The body an endpoint takes: JSON or FORM (or None: no body at all), and its largest size
    in bytes (or the name of the HTTP setting that gives it)."""
    kind: str = None
    max_bytes: object = 0

    def limit(self, settings):
        if isinstance(self.max_bytes, str):
            return getattr(settings, self.max_bytes)
        return int(self.max_bytes)


NO_BODY = BodySpec()


@dataclass
class Refusal:
    """What a client is told when its request is refused: by the server (its body) or by the endpoint."""
    status: int
    error: str
    message: str = None
    headers: tuple = ()
    linger: bool = False  # the body may still be arriving: read it away before closing
    errors: dict = None   # what is wrong with each field, said instead of a message


MEDIA_TYPES = {JSON: ("application/json",), FORM: ("application/x-www-form-urlencoded", "multipart/form-data")}
MEDIA_TYPES[JSON_OR_FORM] = MEDIA_TYPES[JSON] + MEDIA_TYPES[FORM]


def _declared(environ):
    """(Content-Length or None, chunked?, some other transfer coding?) of a request."""
    coding = environ.get("HTTP_TRANSFER_ENCODING", "").strip().lower()
    length = environ.get("CONTENT_LENGTH")
    length = int(length) if length else None  # eventlet refuses a negative or malformed one
    return length, coding == "chunked", bool(coding) and coding != "chunked"


def _has_body(environ):
    length, chunked, other = _declared(environ)
    return bool(length) or chunked or other


def receive_body(environ, spec, settings, budget):
    """Read the request's body into memory as the endpoint's spec allows, before any worker is
    taken. Returns (Refusal or None, bytes reserved from the budget, to give back at the end)."""
    length, chunked, other_coding = _declared(environ)
    if other_coding:
        return Refusal(501, "not_implemented", "Only the chunked transfer coding is accepted.", linger=False), 0
    if not length and not chunked:
        environ["wsgi.input"] = io.BytesIO(b"")
        return None, 0
    if spec.kind is None:
        return Refusal(413, "payload_too_large", "This endpoint takes no request body.", linger=True), 0
    mimetype, options = parse_options_header(environ.get("CONTENT_TYPE", ""))
    if mimetype.lower() not in MEDIA_TYPES[spec.kind]:
        wanted = " or ".join(MEDIA_TYPES[spec.kind])
        return Refusal(415, "unsupported_media_type", f"The body must be {wanted}.", linger=True), 0
    limit = spec.limit(settings)
    if length is not None and length > limit:
        return Refusal(413, "payload_too_large", f"Request body is larger than {limit} bytes.", linger=True), 0
    reserve = length if length is not None else limit + 1
    if not budget.take(reserve):
        return Refusal(503, "unavailable", "Too many request bodies are being received; try again shortly.",
                       headers=(("Retry-After", "5"),), linger=True), 0
    stream = environ["wsgi.input"]
    parts, received = [], 0
    try:
        with eventlet.Timeout(settings.body_timeout):
            while True:
                want = min(READ_CHUNK, (length - received) if length is not None else limit + 1 - received)
                if want <= 0:
                    break
                data = stream.read(want)
                if not data:
                    break
                parts.append(data)
                received += len(data)
    except (socket.timeout, eventlet.Timeout):
        return Refusal(408, "request_timeout", "The request body did not arrive in time."), reserve
    except (OSError, ValueError):  # the client went away, or sent chunks that do not parse
        return Refusal(400, "bad_request", "The request body could not be read."), reserve
    if received > limit:
        return Refusal(413, "payload_too_large", f"Request body is larger than {limit} bytes.", linger=True), reserve
    if length is not None and received < length:
        return Refusal(400, "bad_request", "The request body ended before its Content-Length."), reserve
    body = b"".join(parts)
    if spec.kind == FORM or (spec.kind == JSON_OR_FORM and mimetype.lower() in MEDIA_TYPES[FORM]):
        fields = _form_fields(body, mimetype.lower(), options)
        if fields > settings.max_form_fields:
            return Refusal(413, "payload_too_large",
                           f"The form has more than {settings.max_form_fields} fields."), reserve
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    return None, reserve


def _form_fields(body, mimetype, options):
    if not body:
        return 0
    if mimetype == "multipart/form-data":
        boundary = options.get("boundary", "").encode("latin-1", "replace")
        return max(0, body.count(b"--" + boundary) - 1) if boundary else 0
    return body.count(b"&") + 1


def _close_after(environ, linger):
    """Close the connection once the answer is sent (reading away, within bounds, what the client
    is still sending, so that it reads the answer rather than a reset)."""
    close = environ.get("rongtuk.close_connection")
    if close is not None:
        close()
    stream = environ.get("eventlet.input")
    expects_continue = environ.get("HTTP_EXPECT", "").lower() == "100-continue"
    if linger and stream is not None and not expects_continue and "eventlet.posthooks" in environ:
        environ["eventlet.posthooks"].append((_linger, (stream,), {}))


def _linger(_environ, stream):
    drained = 0
    with eventlet.Timeout(LINGER_SECONDS, False):
        try:
            while drained < LINGER_BYTES:
                data = stream.read(READ_CHUNK)
                if not data:
                    break
                drained += len(data)
        except (OSError, ValueError):
            pass


class SharedWsgiApp:
    def __init__(self, server):
        self.server = server

    def __call__(self, environ, start_response):
        adapter = self.server.url_map().bind_to_environ(environ)
        try:
            provider, values = adapter.match()
        except HTTPException as exc:  # keep what the exception says in headers (Allow on a 405)
            if _has_body(environ):
                _close_after(environ, linger=True)
            return _exception_response(exc, environ)(environ, start_response)
        refusal, reserved = receive_body(environ, getattr(provider, "body_spec", NO_BODY),
                                         self.server.settings, self.server.budget)
        try:
            if refusal is not None:
                _close_after(environ, refusal.linger)
                refuse = getattr(provider, "refuse", None) or refuse_json
                response = refuse(refusal, values)
            else:
                environ["rongtuk.client_address"] = resolve_client_address(
                    environ, self.server.settings.trusted_proxies)
                request = Request(environ, shallow=True)
                limit = getattr(provider, "body_spec", NO_BODY).limit(self.server.settings)
                request.max_content_length = limit
                request.max_form_memory_size = limit
                request.max_form_parts = self.server.settings.max_form_fields
                request.path_values = values
                try:
                    response = provider.handle_request(request)
                except HTTPException as exc:
                    response = _exception_response(exc, environ)
        finally:
            self.server.budget.give(reserved)
        return response(environ, start_response)


def client_address(request):
    """The address of the client who sent the request: the peer, or, when the peer is a proxy named in
    HTTP.trusted_proxies, the address that proxy says it had the request from (X-Forwarded-For)."""
    return request.environ.get("rongtuk.client_address") or request.remote_addr or "-"


_untrusted_proxies_seen = set()


def resolve_client_address(environ, trusted):
    """X-Forwarded-For read from the right, as proxies append to it: each address a trusted proxy
    added is passed over, and the first one no trusted proxy holds is the client (what a client wrote
    there itself is further left, and never reached). Without trusted proxies the peer is the client,
    whatever the header says; a header from a peer that is not trusted is logged once per peer, as
    it likely means a proxy the site should name."""
    peer = environ.get("REMOTE_ADDR") or "-"
    forwarded = environ.get("HTTP_X_FORWARDED_FOR")
    if not forwarded:
        return peer
    if not held_by(peer, trusted):
        if len(_untrusted_proxies_seen) < 100 and peer not in _untrusted_proxies_seen:
            _untrusted_proxies_seen.add(peer)
            log.warning("requests from %s carry X-Forwarded-For, and %s is not in HTTP.trusted_proxies: each "
                        "counts as coming from %s itself. If it is the site's reverse proxy, name it there.",
                        peer, peer, peer)
        return peer
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not held_by(hop, trusted):
            return hop[:64]
    return hops[0][:64] if hops else peer


def held_by(address, networks):
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    if parsed.version == 6 and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    return any(parsed in network for network in networks)


def _exception_response(exc, environ):
    headers = [(k, v) for k, v in exc.get_headers(environ) if k.lower() != "content-type"]
    return json_response(exc.code, {"error": exc.name.lower().replace(" ", "_"),
                                    "message": exc.description}, headers=headers)


def refuse_json(refusal, _path_values):
    said = {"errors": refusal.errors} if refusal.errors is not None else {"message": refusal.message}
    return json_response(refusal.status, {"error": refusal.error, **said}, headers=list(refusal.headers))


# -- refusals raised by endpoints ----------------------------------------------------------------

_REFUSALS = {}  # exception type -> answer(exc): its Refusal
_REMOTE = {}    # the name of an exception another service's RPC raises -> (its type, status, error)


def refusal(exc_type, answer):
    """Declare `exc_type` (and its subclasses) a refusal: raised in an HTTP endpoint it is answered
    with `answer(exc)`, a Refusal, instead of being a fault (500, logged with its traceback)."""
    _REFUSALS[exc_type] = answer
    return exc_type


def remote_refusal(exc_type, status, error):
    """Declare `exc_type`, which another service's RPC raises as one of its `expected_exceptions`, a
    refusal answered with `status`, `error` and the exception's own words. nameko hands the caller a
    RemoteError that names the class (exc_type) and sends no class, so the name is what matches:
    moving the class to another module changes nothing, renaming it does."""
    known = _REMOTE.get(exc_type.__name__)
    if known is not None and known[0] is not exc_type:
        raise ValueError(f"two remote refusals named {exc_type.__name__}: {known[0].__module__} and "
                         f"{exc_type.__module__}; a RemoteError could not tell them apart")
    _REMOTE[exc_type.__name__] = (exc_type, status, error)
    return exc_type


def refusal_for(exc):
    """The Refusal that answers `exc`, or None when it is no refusal but a fault."""
    if isinstance(exc, RemoteError):
        known = _REMOTE.get(exc.exc_type)
        return Refusal(known[1], known[2], exc.value) if known else None
    for exc_type in type(exc).__mro__:
        if exc_type in _REFUSALS:
            return _REFUSALS[exc_type](exc)
    return None


class HttpEndpoint(HttpRequestHandler):
    """nameko's HTTP entrypoint, with the body it takes declared: `body=JSON` or `body=FORM` and
    `max_bytes` (a number, or the name of an HTTP setting); without `body`, a request with one is
    refused. `refuse(refusal, path_values)` answers a refused body in the endpoint's own error
    format (JSON by default)."""

    server = SharedWebServer()

    def __init__(self, method, url, body=None, max_bytes="max_json_body", refuse=None, **kwargs):
        self.body_spec = BodySpec(body, max_bytes) if body else NO_BODY
        self.refuse = refuse
        super().__init__(method, url, **kwargs)

    def response_from_exception(self, exc):
        if isinstance(exc, HTTPException):
            return json_response(exc.code, {"error": exc.name.lower().replace(" ", "_")})
        log.error("unhandled error in %s: %s", self.method_name, redact(repr(exc)))
        return json_response(500, {"error": "internal_error",
                                   "message": "The server could not complete the request."})


def http(method, url, answer_refusal=None, **options):
    """An HTTP endpoint (HttpEndpoint: `body`, `max_bytes`, `refuse`...). A refusal it raises (see
    `refusal`) is answered in its worker, so it is neither logged nor counted as an error: worded by
    `answer_refusal(refusal, path_values)`, else as the endpoint's refused bodies are (`refuse`),
    else in JSON. Anything else it raises is a fault: a 500 that names nothing."""
    answer = answer_refusal or options.get("refuse") or refuse_json

    def decorate(fn):
        @functools.wraps(fn)
        def endpoint(service, request, **path_values):
            try:
                return fn(service, request, **path_values)
            except Exception as exc:
                refused = refusal_for(exc)
                if refused is None:
                    raise
                return answer(refused, path_values)
        return HttpEndpoint.decorator(method, url, **options)(endpoint)
    return decorate


def json_response(status, payload, headers=None):
    return Response(json.dumps(payload, ensure_ascii=False, default=str), status=status,
                    content_type=JSON_TYPE, headers=headers)


def file_response(data, content_type, filename):
    """A file to download: its bytes under its own type, named for saving (an ASCII name for old
    clients and the real one, Thai included, as RFC 6266's filename*), never shown inline or sniffed."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._- ") else "_" for c in filename) or "file"
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
    return Response(data, status=200, mimetype=content_type,
                    headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff",
                             "Cache-Control": "private, no-store"})


class Route:
    """A route served by a dependency rather than an entrypoint (e.g. /metrics); it takes no body."""

    def __init__(self, url, method, respond):
        self.url = url
        self.method = method
        self._respond = respond

    def get_url_rule(self):
        return Rule(self.url, methods=[self.method])

    def handle_request(self, request):
        return self._respond(request)


# -- JSON bodies --------------------------------------------------------------------------------

# JSON escapes Thai as \uXXXX (six bytes a character): 1 MB of text must still reach field validation
MAX_BODY_BYTES = HTTP_DEFAULTS["max_case_body"]
# No body this API takes is nested more than a few levels; deeper is refused before anything
# walks it (json.loads itself fails on ~1,000 levels with a RecursionError)
MAX_JSON_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class InvalidRequest(Exception):
    """Bad input from a client: answered with 400 and field-level errors, nothing changed."""

    def __init__(self, errors, status=400):
        super().__init__("invalid request")
        self.errors = errors
        self.status = status

    def response(self):
        return refuse_json(refusal_for(self), {})


def read_json_object(request, max_bytes=None):
    """The request body as a JSON object, or InvalidRequest saying exactly what is wrong. The
    largest body is the endpoint's (the server sets it on the request), else MAX_BODY_BYTES."""
    max_bytes = max_bytes or request.max_content_length or MAX_BODY_BYTES
    length = request.content_length
    if length is not None and length > max_bytes:
        raise InvalidRequest({"_body": [f"Request body is larger than {max_bytes} bytes."]}, 413)
    raw = request.get_data(cache=False)
    if len(raw) > max_bytes:
        raise InvalidRequest({"_body": [f"Request body is larger than {max_bytes} bytes."]}, 413)
    body = parse_json(raw)
    if not isinstance(body, dict):
        raise InvalidRequest({"_body": ["Request body must be a JSON object."]})
    return body


def parse_json(raw):
    """A JSON document from bytes, or InvalidRequest: not UTF-8, not JSON, nested more than
    MAX_JSON_DEPTH levels, or holding a lone surrogate (\\ud800: valid JSON, but no character,
    which nothing downstream can store or write)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidRequest({"_body": [f"Request body is not valid UTF-8 (byte {exc.start})."]}) from None
    try:
        value = json.loads(text)
    except RecursionError:
        raise InvalidRequest({"_body": [f"Request body is nested more than {MAX_JSON_DEPTH} levels deep."]}) from None
    except ValueError as exc:
        raise InvalidRequest({"_body": [f"Request body is not valid JSON: {exc}."]}) from None
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH or _SURROGATE_ESCAPE.search(text):
        problem = _json_problem(value)
        if problem:
            raise InvalidRequest({"_body": [problem]})
    return value


def _json_problem(value):
    """What makes a decoded JSON document unacceptable (too deep, a lone surrogate), or None."""
    if isinstance(value, str):
        return _surrogate_problem(value, ())
    stack = [(value, 1, ())] if isinstance(value, (dict, list)) else []
    while stack:
        node, depth, path = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return f"Request body is nested more than {MAX_JSON_DEPTH} levels deep."
        for key, item in (node.items() if isinstance(node, dict) else enumerate(node)):
            if isinstance(key, str) and _SURROGATE.search(key):
                return _surrogate_problem(key, path, what="A key")
            if isinstance(item, str):
                if _SURROGATE.search(item):
                    return _surrogate_problem(item, path + (key,))
            elif isinstance(item, (dict, list)):
                stack.append((item, depth + 1, path + (key,)))
    return None


def _surrogate_problem(text, path, what="The text"):
    found = _SURROGATE.search(text)
    if not found:
        return None
    where = _path_text(path) or "the top level"
    return (f"{what} at {where} holds U+{ord(found.group()):04X}, a lone surrogate, which is not a character.")


def _path_text(path):
    text = ""
    for key in path:
        if isinstance(key, int):
            text += f"[{key}]"
        else:
            safe = key.encode("utf-8", "backslashreplace").decode("utf-8")
            text += f".{safe}" if text else safe
    return text


def load_or_400(schema, body):
    from marshmallow import ValidationError
    try:
        return schema.load(body)
    except ValidationError as exc:
        raise InvalidRequest(exc.messages)


refusal(InvalidRequest, lambda exc: Refusal(exc.status, "invalid_request", errors=exc.errors))
refusal(RpcTimeout, lambda exc: Refusal(503, "unavailable", f"{exc.service or 'a service'} did not answer in time"))
