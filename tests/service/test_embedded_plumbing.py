"""The fixes embedded mode needs: RPC replies on memory://, its polling interval, one web server per port."""
from unittest.mock import patch

import pytest
import requests
from nameko.exceptions import RpcTimeout as NoReply
from nameko.messaging import QueueConsumer
from nameko.rpc import RpcProxy
from nameko.rpc import rpc as nameko_rpc
from nameko.standalone.rpc import ServiceRpcProxy

from shared.rpc import RpcEndpoint, RpcTimeout, call_with_timeout, rpc
from shared.web import http, json_response
from tests.helpers import free_port


class Echo:
    name = "echo"

    @rpc
    def shout(self, text):
        return text.upper()


class PlainEcho:
    name = "plain_echo"

    @nameko_rpc
    def shout(self, text):
        return text.upper()


class Caller:
    name = "caller"
    echo = RpcProxy("echo")
    silent = RpcProxy("nobody")

    @rpc
    def relay(self, text):
        return self.echo.shout(text)

    @rpc
    def ask_nobody(self):
        try:
            return call_with_timeout(self.silent.anything, timeout=0.3)
        except RpcTimeout as exc:
            return f"timeout: {exc}"


@pytest.fixture
def memory_config():
    return {"AMQP_URI": "memory://", "TRANSPORT_OPTIONS": {"polling_interval": 0.005},
            "WEB_SERVER_ADDRESS": f"127.0.0.1:{free_port()}"}


def test_rpc_between_services_answers_on_the_memory_transport(runner_factory, memory_config):
    runner = runner_factory(memory_config, Echo, Caller)
    runner.start()
    with ServiceRpcProxy("caller", memory_config, timeout=5) as caller:
        assert caller.relay("สวัสดี ok") == "สวัสดี OK"


def test_nameko_plain_rpc_gets_no_reply_on_the_memory_transport_which_is_why_the_fix_exists(
        runner_factory, memory_config):
    runner = runner_factory(memory_config, PlainEcho)
    runner.start()
    with ServiceRpcProxy("plain_echo", memory_config, timeout=1) as echo:
        with pytest.raises(NoReply, match="^1$"):  # nameko's message is the seconds it waited
            echo.shout("x")


def test_the_fix_copies_content_type_only_when_properties_lack_it():
    class Message:
        content_type = "application/json"

        def __init__(self, properties):
            self.properties = properties

    seen = []
    endpoint = RpcEndpoint.__new__(RpcEndpoint)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("nameko.rpc.Rpc.handle_message", lambda self, body, message: seen.append(message.properties))
        endpoint.handle_message({}, Message({}))
        endpoint.handle_message({}, Message({"content_type": "application/x-other"}))
    assert seen == [{"content_type": "application/json"}, {"content_type": "application/x-other"}]


def test_a_call_to_a_service_that_never_answers_times_out(runner_factory, memory_config):
    runner = runner_factory(memory_config, Caller)
    runner.start()
    with ServiceRpcProxy("caller", memory_config, timeout=5) as caller:
        assert caller.ask_nobody().startswith("timeout: no answer within 0.3s")


def test_the_configured_polling_interval_reaches_the_consumers(container_factory, memory_config):
    polling = []
    ready = QueueConsumer.on_consume_ready

    def seen(self, connection, channel, consumers, **kwargs):  # the connection the consumer really polls
        polling.append(connection.transport.polling_interval)
        return ready(self, connection, channel, consumers, **kwargs)

    with patch.object(QueueConsumer, "on_consume_ready", seen):
        container = container_factory(Echo, memory_config)
        container.start()  # returns once its consumers are ready, i.e. after on_consume_ready

    assert polling == [0.005]


class Front:
    name = "front"

    @http("GET", "/front")
    def hello(self, request):
        return json_response(200, {"from": "front"})


class Back:
    name = "back"

    @http("GET", "/back")
    def hello(self, request):
        return json_response(200, {"from": "back"})


def test_two_services_in_one_process_share_one_port_and_both_answer(runner_factory, memory_config):
    runner = runner_factory(memory_config, Front, Back)
    runner.start()
    base = f"http://{memory_config['WEB_SERVER_ADDRESS']}"
    assert requests.get(f"{base}/front", timeout=5).json() == {"from": "front"}
    assert requests.get(f"{base}/back", timeout=5).json() == {"from": "back"}
    assert requests.get(f"{base}/neither", timeout=5).status_code == 404
