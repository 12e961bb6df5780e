"""services/notify/sms.py: how a gateway counts a text, writes a number, and is configured."""
import pytest

from services.notify.sms import READ_MORE, SmsGateway, fit, number_as, parts


@pytest.mark.parametrize("text,expected", [
    ("a" * 160, (1, "gsm")), ("a" * 161, (2, "gsm")), ("a" * 306, (2, "gsm")), ("a" * 307, (3, "gsm")),
    ("{" * 80, (1, "gsm")), ("{" * 81, (2, "gsm")),          # the extension table counts twice
    ("ก" * 70, (1, "ucs2")), ("ก" * 71, (2, "ucs2")), ("ก" * 134, (2, "ucs2")), ("ก" * 135, (3, "ucs2")),
    ("ok ได้รับแล้ว", (1, "ucs2")),                           # one Thai letter makes it UCS-2
])
def test_a_text_is_counted_as_gateways_count_it(text, expected):
    assert parts(text) == expected


def test_a_long_thai_text_is_cut_to_its_parts_and_says_where_the_rest_is():
    answer = "ผลการพิจารณา" * 100
    cut = fit(answer, 3)
    assert parts(cut)[0] <= 3 and cut.endswith(READ_MORE) and answer.startswith(cut[:-len(READ_MORE)])
    assert fit("สั้น", 3) == "สั้น"


@pytest.mark.parametrize("phone,fmt,expected", [
    ("+66812345678", "+66", "+66812345678"), ("+66812345678", "66", "66812345678"),
    ("+66812345678", "0", "0812345678"), ("081-234-5678", "66", "66812345678"), ("021234567", "+66", "+6621234567"),
])
def test_a_thai_number_as_each_gateway_writes_it(phone, fmt, expected):
    assert number_as(phone, fmt) == expected


def test_settings_off_without_a_url_and_a_profile_fills_in_a_known_gateway():
    assert SmsGateway.from_settings({"url": "", "profile": "generic"}) is None
    thaibulk = SmsGateway.from_settings({"profile": "thaibulksms", "username": "key", "password": "secret",
                                         "sender": "OSS", "fields": {}, "number_format": ""})
    assert thaibulk.url == "https://api-v2.thaibulksms.com/sms" and thaibulk.auth == "basic"
    assert thaibulk.fields == {"to": "msisdn", "text": "message", "sender": "sender"}
    assert (thaibulk.number_format, thaibulk.extra) == ("66", {"force": "standard"})
    generic = SmsGateway.from_settings({"url": "https://sms.example/send", "auth_header": "X-Key: abc",
                                        "fields": {"to": "phone"}})
    assert generic.header == {"X-Key": "abc"} and generic.fields["to"] == "phone" and generic.auth is None
    for wrong, says in (({"url": "u", "profile": "nope"}, "profile"), ({"url": "u", "number_format": "1"}, "number_format"),
                        ({"url": "u", "auth_header": "no colon"}, "auth_header")):
        with pytest.raises(ValueError, match=says):
            SmsGateway.from_settings(wrong)
