"""RPC: an entrypoint that also answers on embedded mode's memory transport, and calls with a deadline.

nameko's Responder reads `message.properties['content_type']`; kombu's virtual transports
(memory://) keep it in `message.content_type`, so replies failed there. We copy it across, and
only when it is absent. nameko 2.14's RpcProxy waits for ever; `call_with_timeout` does not.
"""
import eventlet
from nameko.rpc import Rpc

from shared.config import setting
from shared.queues import SiteRpcConsumer


class RpcEndpoint(Rpc):
    rpc_consumer = SiteRpcConsumer()

    def handle_message(self, body, message):
        if "content_type" not in message.properties and getattr(message, "content_type", None):
            message.properties["content_type"] = message.content_type
        return super().handle_message(body, message)


rpc = RpcEndpoint.decorator


class RpcTimeout(Exception):
    """No answer from `service` (its name) in time."""

    def __init__(self, message, service=None):
        super().__init__(message)
        self.service = service


def call_with_timeout(method, *args, timeout, **kwargs):
    """Call `proxy.method(*args)`; RpcTimeout if no answer within `timeout` seconds."""
    reply = method.call_async(*args, **kwargs)
    try:
        with eventlet.Timeout(timeout):
            return reply.result()
    except eventlet.Timeout:
        raise RpcTimeout(f"no answer within {timeout}s", getattr(method, "service_name", None)) from None


def rpc_timeout(config):
    return float(setting(config, "RPC", "timeout", 5.0))
