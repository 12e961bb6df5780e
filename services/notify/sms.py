"""SMS out, through an office's HTTPS SMS gateway: the number and the text POSTed as a form.

One generic adapter, configured in the SMS section: the gateway's URL, how it authenticates (HTTP
Basic, or a header such as `Authorization: Bearer …`), the names of its form fields, the sender
name, how it writes a Thai mobile number, and fields it always wants. A profile fills these in for a
known gateway: `thaibulksms` (ThaiBulkSMS API v2: Basic auth with the API key and secret, fields
`msisdn`, `message`, `sender`, `force`). Off while `url` is unset.

Thai text goes as UCS-2: 70 characters in one message, 67 in each part of a longer one (GSM 7-bit
text: 160, 153), as gateways count and bill them. A text longer than `max_parts` is cut, ending with
where to read the rest. A gateway that answers 4xx refused the message itself: it is not sent again
(the answer is kept); a timeout or 5xx is tried again later. With `reference_field` named, each
message carries its delivery's id in that field, for the gateway's delivery report (sms_reports.py).
"""
import re

import requests

from services.notify.exceptions import SendRefused, SmsError

# characters of the GSM 03.38 default alphabet (and its extension table): a text of only these goes
# as 7-bit GSM; anything else (Thai) makes the whole message UCS-2
GSM = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
          "¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENDED = set("^{}\\[~]|€\f")
PROFILES = {
    "generic": {},
    "thaibulksms": {"url": "https://api-v2.thaibulksms.com/sms", "auth": "basic", "number_format": "66",
                    "fields": {"to": "msisdn", "text": "message", "sender": "sender"},
                    "extra": {"force": "standard"}},
}
DEFAULT_FIELDS = {"to": "to", "text": "text", "sender": "sender"}
NUMBER_FORMATS = ("+66", "66", "0")
READ_MORE = "… (อ่านต่อที่หน้าติดตามเรื่อง)"


def parts(text):
    """How many messages a gateway sends (and bills) for `text`: (parts, encoding)."""
    if all(c in GSM or c in GSM_EXTENDED for c in text):
        length = sum(2 if c in GSM_EXTENDED else 1 for c in text)
        return (1 if length <= 160 else -(-length // 153)), "gsm"
    units = sum(2 if ord(c) > 0xFFFF else 1 for c in text)  # UTF-16 code units
    return (1 if units <= 70 else -(-units // 67)), "ucs2"


def fit(text, max_parts):
    """The text cut to at most `max_parts` messages, ending with READ_MORE when it was cut."""
    if parts(text)[0] <= max_parts:
        return text
    room = max_parts * 67 - len(READ_MORE)
    return text[:max(room, 0)].rstrip() + READ_MORE


def number_as(phone, fmt):
    """A Thai number as the gateway writes it: "+66812345678", "66812345678" or "0812345678"."""
    digits = "".join(c for c in str(phone) if c.isdigit())
    national = digits[2:] if digits.startswith("66") else digits.lstrip("0")
    if fmt == "+66":
        return "+66" + national
    if fmt == "66":
        return "66" + national
    return "0" + national


class SmsGateway:
    def __init__(self, url, fields=None, sender="", auth=None, username="", password="", auth_header="",
                 number_format="+66", extra=None, max_parts=6, timeout=10.0, reference_field=None):
        self.url = url
        self.fields = {**DEFAULT_FIELDS, **(fields or {})}
        self.sender = sender or ""
        self.auth = auth
        self.username, self.password = username or "", password or ""
        self.header = _header(auth_header)
        if number_format not in NUMBER_FORMATS:
            raise ValueError(f"SMS.number_format is one of {', '.join(NUMBER_FORMATS)}, not {number_format!r}")
        self.number_format = number_format
        self.extra = dict(extra or {})
        self.max_parts = int(max_parts)
        self.timeout = timeout
        self.reference_field = reference_field or None

    @classmethod
    def from_settings(cls, section):
        """The SMS section, its profile's values under what the section sets; None when no URL is set."""
        section = {k: v for k, v in (section or {}).items() if v not in (None, "")}
        profile_name = str(section.get("profile") or "generic")
        if profile_name not in PROFILES:
            raise ValueError(f"SMS.profile is one of {', '.join(PROFILES)}, not {profile_name!r}")
        values = {**PROFILES[profile_name], **section}
        if not values.get("url"):
            return None
        auth = values.get("auth") or ("basic" if values.get("username") else None)
        return cls(values["url"], fields={**PROFILES[profile_name].get("fields", {}), **(section.get("fields") or {})},
                   sender=values.get("sender", ""), auth=auth, username=values.get("username", ""),
                   password=values.get("password", ""), auth_header=values.get("auth_header", ""),
                   number_format=str(values.get("number_format", "+66")), extra=values.get("extra"),
                   max_parts=int(values.get("max_parts", 6)), reference_field=values.get("reference_field"))

    def send(self, to, subject, body, reference=None):
        """Send `body` (the notice's short text) to the number `to`; SendRefused on a 4xx."""
        form = {**self.extra, self.fields["to"]: number_as(to, self.number_format),
                self.fields["text"]: fit(body, self.max_parts)}
        if self.sender:
            form[self.fields["sender"]] = self.sender
        if self.reference_field and reference:  # the gateway names it in its delivery report
            form[self.reference_field] = str(reference)
        try:
            response = requests.post(self.url, data=form, timeout=self.timeout, headers=self.header,
                                     auth=(self.username, self.password) if self.auth == "basic" else None)
        except requests.RequestException as exc:
            raise SmsError(f"SMS gateway not reachable: {type(exc).__name__}") from None
        if 400 <= response.status_code < 500:
            raise SendRefused(f"SMS gateway refused the message: {response.status_code} {_said(response)}")
        if response.status_code >= 300:
            raise SmsError(f"SMS gateway answered {response.status_code}")


def _header(line):
    """"Name: value" as a header dict ({} for none)."""
    if not line:
        return {}
    name, sep, value = str(line).partition(":")
    if not sep or not name.strip():
        raise ValueError("SMS.auth_header is written 'Name: value', e.g. 'Authorization: Bearer …'")
    return {name.strip(): value.strip()}


def _said(response):
    """What a refusing gateway said, short, without any number in it (some echo the recipient's)."""
    return re.sub(r"\+?\d[\d -]{7,}\d", "<number>", " ".join(response.text.split()))[:200]
