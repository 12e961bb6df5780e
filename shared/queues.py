"""The type of the queues a site's services declare on RabbitMQ: `QUEUES.type`, classic (the default)
or quorum (replicated over a RabbitMQ cluster's nodes, Raft-backed: what a site with a cluster wants,
and what `rongtuk site init` writes for a new site).

A queue's type is fixed when it is first declared: a site whose queues exist as classic ones keeps
them until they are deleted (docs/operations.md#quorum-queues says how to move). Only the durable,
shared queues become quorum: each event handler's and each service's RPC queue; a caller's reply
queue stays classic (it lives for the caller only, and quorum queues cannot be exclusive). The
in-memory broker of embedded mode ignores the type.
"""
from nameko.rpc import RpcConsumer

from shared.config import setting

TYPES = ("classic", "quorum")


def queue_type(config):
    value = str(setting(config, "QUEUES", "type", "classic") or "classic").strip().lower()
    if value not in TYPES:
        raise ValueError(f"QUEUES.type: {value!r} is not one of {', '.join(TYPES)}")
    return value


def as_configured(queue, config):
    """`queue`, made a quorum queue when the site's are and it can be one."""
    if queue is None or queue_type(config) != "quorum":
        return queue
    if queue.durable and not queue.exclusive and not queue.auto_delete:
        queue.queue_arguments = {**(queue.queue_arguments or {}), "x-queue-type": "quorum"}
    return queue


class SiteRpcConsumer(RpcConsumer):
    """nameko's RPC consumer, its service's queue of the site's type."""

    def setup(self):
        super().setup()
        as_configured(self.queue, self.container.config)
