"""Links between sites: RabbitMQ federation of the `rongtuk.sites` and `rongtuk.feed` exchanges,
set up through the broker's management API.

Each site's broker (or vhost) federates both exchanges from every site it exchanges cases with. A
federation link copies only what the downstream site has bound, so a district receives only the
events addressed to it (`<SITE>.routing.case_forwarded` ...) and the hub only its own; on the feed
exchange only a hub binds (everything), so only a hub pulls the districts' feeds. Links are one-way:
link each site to the other for a forward and its answer to travel. The upstream keeps what it
holds for a downstream in a queue of its own while the link is down (ack-mode on-confirm: a message
leaves it only once the downstream broker has confirmed it).
"""
from urllib.parse import quote, urlparse

import requests

from shared.events import FEED_EXCHANGE, SITES_EXCHANGE

POLICY = "rongtuk-sites"
FEDERATED = (SITES_EXCHANGE, FEED_EXCHANGE)
FEDERATED_PATTERN = "^(" + "|".join(x.replace(".", "\\.") for x in FEDERATED) + ")$"


class LinkError(RuntimeError):
    pass


def broker_uri(amqp_uri):
    """An AMQP URI as RabbitMQ reads it (kombu's pyamqp:// and librabbitmq:// are amqp:// to it)."""
    scheme, sep, rest = str(amqp_uri).partition("://")
    if scheme in ("pyamqp", "librabbitmq"):
        return f"amqp{sep}{rest}"
    return str(amqp_uri)


def management_url(amqp_uri, port=15672):
    """The management API of the broker behind an AMQP URI: same host and credentials."""
    uri = urlparse(broker_uri(amqp_uri))
    if uri.scheme not in ("amqp", "amqps"):
        raise LinkError(f"{uri.scheme or 'this'}:// has no broker to link; sites link through RabbitMQ")
    return f"http://{uri.username or 'guest'}:{uri.password or 'guest'}@{uri.hostname or 'localhost'}:{port}"


def vhost_of(amqp_uri):
    path = urlparse(amqp_uri).path
    return path[1:] if len(path) > 1 else "/"


def call(method, url, timeout=10, **kwargs):
    """One request to the broker's management API; LinkError says why it failed."""
    try:
        response = requests.request(method, url, timeout=timeout, **kwargs)
    except requests.RequestException as exc:
        raise LinkError(f"the broker's management API is not reachable: {exc}") from exc
    if response.status_code >= 400:
        raise LinkError(f"{method} {url.split('@')[-1]}: {response.status_code} {response.text[:300]}")
    return response.json() if response.content else None


def exists(url):
    """Whether the management API has the resource at `url` (a vhost, a user)."""
    try:
        call("GET", url)
        return True
    except LinkError:
        return False


def link(api, vhost, name, upstream_uri, ack_mode="on-confirm"):
    """Make `vhost` receive what it binds on the sites exchange of the broker at `upstream_uri`."""
    v = quote(vhost, safe="")
    call("PUT", f"{api}/api/parameters/federation-upstream/{v}/{quote(name, safe='')}",
          json={"value": {"uri": broker_uri(upstream_uri), "ack-mode": ack_mode}})
    call("PUT", f"{api}/api/policies/{v}/{POLICY}",
          json={"pattern": FEDERATED_PATTERN, "apply-to": "exchanges",
                "priority": 10, "definition": {"federation-upstream-set": "all"}})


def unlink(api, vhost, name):
    call("DELETE", f"{api}/api/parameters/federation-upstream/{quote(vhost, safe='')}/{quote(name, safe='')}")


def status(api, vhost, timeout=10):
    """[(upstream, status, error)] of the vhost's federation links."""
    links = call("GET", f"{api}/api/federation-links/{quote(vhost, safe='')}", timeout=timeout) or []
    return [(item.get("upstream"), item.get("status"), item.get("error") or "") for item in links]



def links_up(api, vhost, timeout=3):
    """{(upstream, exchange): running?} for every federation link the broker has for the vhost: one per
    upstream and federated exchange the vhost has, listed as long as its upstream is set, whether it
    runs, starts or is in error (an upstream that cannot be reached is a link in error). Needs a
    management user with the `monitoring` tag, nothing more."""
    return {(item.get("upstream"), item.get("exchange")): item.get("status") == "running"
            for item in call("GET", f"{api}/api/federation-links/{quote(vhost, safe='')}", timeout=timeout) or []
            if item.get("upstream") and item.get("exchange") in FEDERATED}
