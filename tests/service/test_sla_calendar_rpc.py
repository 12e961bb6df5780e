"""sla's calendar RPCs are the administrators': an extra holiday added over RPC by an admin acting in
the call's context is on the calendar; a director, and a call with no one acting, are refused and change
nothing (shared/policy.py, manage_calendar)."""
import pytest
from nameko.exceptions import RemoteError
from nameko.standalone.rpc import ServiceRpcProxy

from services.sla.service import SlaService
from tests.helpers import acting_as


def test_only_an_administrator_changes_the_calendar_over_rpc(container_factory, embedded_config):
    container_factory(SlaService, embedded_config).start()

    def proxy(context=None):
        return ServiceRpcProxy("sla", embedded_config, timeout=10, context_data=context)

    with proxy(acting_as("director")) as director, proxy() as nobody, proxy(acting_as("admin")) as admin:
        for refused in (director, nobody):
            with pytest.raises(RemoteError) as denied:
                refused.calendar_add("2027-03-15", "holiday", "วันหยุดพิเศษ")
            assert denied.value.exc_type == "Forbidden"
        assert "2027-03-15" not in [d["day"] for d in admin.calendar_list(2027)]
        admin.calendar_add("2027-03-15", "holiday", "วันหยุดพิเศษ")
        assert {"day": "2027-03-15", "kind": "holiday", "name": "วันหยุดพิเศษ", "source": "admin"} in \
            admin.calendar_list(2027)
        with pytest.raises(RemoteError) as denied:
            director.calendar_remove("2027-03-15")
        assert denied.value.exc_type == "Forbidden"
        admin.calendar_remove("2027-03-15")
        assert "2027-03-15" not in [d["day"] for d in admin.calendar_list(2027)]
