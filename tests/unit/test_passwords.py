"""Officers' passwords: strong enough, and kept only as an argon2id hash."""
import pytest

from services.intake import passwords


@pytest.mark.parametrize("password,says", [
    ("", "required"), ("short-one", "at least 12"), ("password1234", "too weak"),
    ("qwertyuiop[]", "too weak"), ("somchai.j2569!", "must not contain the username"),
    ("aaaaaaaaaaaaaaaa", "too weak"), ("x" * 300, "at most 256"),
])
def test_a_weak_password_is_refused_with_why(password, says):
    assert says in passwords.weakness(password, username="somchai.j")


def test_a_long_phrase_of_unrelated_words_will_do():
    assert passwords.weakness("lantern-orchid-viaduct-42", username="somchai.j") is None
    assert passwords.weakness("ลำไย มะม่วง ทุเรียน เงาะ", username="malee") is None


def test_a_hash_is_argon2id_and_checks_only_its_password():
    kept = passwords.hash_password("lantern-orchid-viaduct-42")
    assert kept.startswith("$argon2id$") and "lantern" not in kept
    assert passwords.verify(kept, "lantern-orchid-viaduct-42") == (True, False)
    assert passwords.verify(kept, "lantern-orchid-viaduct-43") == (False, False)
    assert passwords.verify(None, "lantern-orchid-viaduct-42") == (False, False)  # an unknown user
    assert passwords.verify("not a hash", "x") == (False, False)
