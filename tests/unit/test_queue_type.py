"""shared/queues.py: QUEUES.type makes a site's shared, durable queues quorum queues; a caller's reply
queue (exclusive or auto-deleted) stays classic; classic is the default; anything else is refused."""
import pytest
from kombu import Exchange, Queue

from shared.queues import as_configured, queue_type

QUORUM = {"QUEUES": {"type": "quorum"}}


def test_durable_shared_queues_become_quorum_and_reply_queues_stay_classic():
    shared = as_configured(Queue("rpc-routing", Exchange("nameko-rpc"), durable=True), QUORUM)
    assert shared.queue_arguments == {"x-queue-type": "quorum"}
    reply = as_configured(Queue("rpc.reply-x", Exchange("nameko-rpc"), exclusive=True,
                                queue_arguments={"x-expires": 300000}), QUORUM)
    assert reply.queue_arguments == {"x-expires": 300000}
    assert not as_configured(Queue("evt-x", auto_delete=True), QUORUM).queue_arguments


def test_classic_is_the_default_and_a_type_rabbitmq_lacks_is_refused():
    assert queue_type({}) == "classic"
    assert not as_configured(Queue("rpc-routing", durable=True), {}).queue_arguments
    with pytest.raises(ValueError, match="QUEUES.type"):
        queue_type({"QUEUES": {"type": "stream"}})
