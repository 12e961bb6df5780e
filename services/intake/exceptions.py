"""What intake refuses, or cannot read: plain classes (no nameko, no database), so the rules that
raise them stay plain.

How each refusal is answered over HTTP is declared in services/intake/service.py and applied by
shared/web.py. A refusal raised by an RPC declared in its `expected_exceptions` reaches the caller
as a nameko RemoteError that names the class (`exc_type`, e.g. "IntakeError"), not its module.
"""


class IntakeError(ValueError):
    """The complaint cannot be taken as given; `errors` are per field, as the API reports them."""

    def __init__(self, errors):
        super().__init__("invalid complaint")
        self.errors = errors


class ReferralError(ValueError):
    """A forwarded case that cannot be recorded as given (it is already here)."""


class NotFound(LookupError):
    """No such case (or not for this access code), or no such document of it; says which."""


class KeyNotValid(PermissionError):
    """An API key was given but is not valid for what it asks."""


class NotRoutedYet(Exception):
    """An officer's correction that overtook the case_routed it corrects: the handler tries again."""


class Refused(Exception):
    """Too many: nothing was counted or done; try again in `retry_after` seconds."""

    def __init__(self, retry_after, message):
        super().__init__(message)
        self.retry_after = retry_after
        self.message = message


class Open311Error(Exception):
    """An error the Open311 spec reports as [{code, description}] with the same HTTP status."""

    def __init__(self, code, description, retry_after=None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after  # a 429's Retry-After, in seconds


class LineError(ValueError):
    """A LINE webhook body that is not what the Messaging API sends; says why."""


class InvalidIdentifier(ValueError):
    """A national ID or phone number that is not one; says why."""


class CatalogueError(ValueError):
    """A subject catalogue (deploy/subjects.yml) that does not validate; says where."""


class MailboxError(ValueError):
    """The bytes are not an e-mail a complaint can be made of; the message says why, never who."""


class ImapError(Exception):
    """The mailbox could not be read or updated; the message names the step, never the password."""


class ApiKeyError(ValueError):
    """An API key that cannot be made or revoked as asked; says why."""


class SealError(ValueError):
    """A sealed identity that cannot be opened with the site's key."""


class CaseStatusError(ValueError):
    """A move a case's status does not allow (services/intake/status.py). The use cases ask before
    they move a case, so this is a fault, never an answer."""


class NotRatable(Exception):
    """A rating the case does not take now (not answered yet, or rated already); says why."""


class AccountError(ValueError):
    """An officer's account that cannot be made or changed as asked; says why."""


class LoginFailed(Exception):
    """A wrong username or password (which of them is never said)."""


class NotAuthenticated(PermissionError):
    """No valid session: the token is missing, malformed, unknown or its session has ended; says what to do."""
