"""An SMS gateway's delivery report read: which message, and whether the handset got it."""
import pytest

from services.notify.sms_reports import ReportError, read, token_matches


@pytest.mark.parametrize("status,outcome", [("DELIVRD", "delivered"), ("delivered", "delivered"),
                                            ("UNDELIV", "failed"), ("Rejected", "failed"), ("EXPIRED", "failed"),
                                            ("sent", None), ("ACCEPTD", None), ("queued", None)])
def test_a_report_says_delivered_failed_or_nothing_yet(status, outcome):
    assert read({"reference": "d-1", "status": status}) == ("d-1", outcome, status)


def test_the_field_names_are_the_gateways():
    assert read({"client_ref": " d-2 ", "stat": "DELIVRD"}, {"reference": "client_ref", "status": "stat"}) == \
        ("d-2", "delivered", "DELIVRD")


@pytest.mark.parametrize("body,says", [({"status": "DELIVRD"}, "'reference'"), ({"reference": "d"}, "'status'"),
                                       (["d", "DELIVRD"], "a form or a JSON object")])
def test_a_report_without_what_it_needs_says_what_is_missing(body, says):
    with pytest.raises(ReportError, match=says):
        read(body)


def test_the_token_must_be_the_sites_and_there_must_be_one():
    assert token_matches("s3cret-token", "s3cret-token")
    assert not token_matches("s3cret-token", "s3cret-tokeN") and not token_matches("s3cret-token", None)
    assert not token_matches("", "") and not token_matches(None, "anything")
