"""An SMS gateway's delivery reports: what the handset got, after the gateway took the message.

A gateway that can report delivery is given, with each message, the delivery's id in the form field
the office names (`SMS.reference_field`, e.g. `ref` or `client_ref`); it POSTs its report to
`/webhooks/sms/<SMS.report_token>` (form or JSON), naming that id and a status in the fields
`SMS.report_fields` names (`reference`, `status`; by default those very names). A status the
handset got ("delivered", "DELIVRD", "success") marks the delivery reported delivered; one it never
will ("UNDELIV", "failed", "rejected", "expired") marks it failed with the gateway's status, not tried
again (an officer can send it again: `rongtuk notify resend`); anything else ("sent", "queued",
"accepted") is an interim status and changes nothing. Plain rules: no nameko, no database.
"""
import hmac

DELIVERED = ("delivered", "delivrd", "success", "successful", "done")
UNDELIVERED = ("undeliv", "undelivered", "failed", "fail", "rejected", "rejectd", "expired", "error",
               "blocked", "invalid")
DEFAULT_FIELDS = {"reference": "reference", "status": "status"}


class ReportError(ValueError):
    """A report that cannot be read: says which field is missing."""


def token_matches(configured, given):
    """Whether the URL's token is the site's (compared in constant time); never with none configured."""
    return bool(configured) and hmac.compare_digest(str(configured).encode(), str(given or "").encode())


def read(body, fields=None):
    """(reference, outcome, status) of a report body (a dict from a form or JSON): outcome is
    "delivered", "failed" or None for an interim status; status the gateway's own word, short."""
    fields = {**DEFAULT_FIELDS, **(fields or {})}
    if not isinstance(body, dict):
        raise ReportError("a delivery report is a form or a JSON object")
    reference = str(body.get(fields["reference"]) or "").strip()
    status = " ".join(str(body.get(fields["status"]) or "").split())[:40]
    if not reference:
        raise ReportError(f"a delivery report names the message in {fields['reference']!r}")
    if not status:
        raise ReportError(f"a delivery report gives its status in {fields['status']!r}")
    word = status.casefold()
    outcome = "delivered" if word in DELIVERED else "failed" if word in UNDELIVERED else None
    return reference[:64], outcome, status


def received(section, token, body, record):
    """What to answer a report sent to /webhooks/sms/<token>: (HTTP status, JSON body). `section` is
    the SMS settings; `record(reference, outcome, status)` keeps a good report (deliveries.sms_reported)
    and returns None for a message that is not ours."""
    if not token_matches((section or {}).get("report_token"), token):
        return 404, {"error": "not_found", "message": "No such endpoint."}
    try:
        reference, outcome, status = read(body, (section or {}).get("report_fields"))
    except ReportError as exc:
        return 400, {"error": "invalid_request", "message": str(exc)}
    recorded = record(reference, outcome, status) is not None
    return 200, {"recorded": recorded, "message": "recorded" if recorded else "no such message here"}
