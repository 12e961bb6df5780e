"""E-mail out: over SMTP when a host is configured, else into a folder of .eml files (embedded mode).

The folder is a stand-in for a mail server, to see what would be sent: nothing in it reaches anyone.
Its files say what the message said and which delivery it was (X-Rongtuk-Delivery, also the file's
name), but not to whom: the address stays sealed in notify's delivery log, and no file under the
data folder holds it in the clear. Files are 0600 in a 0700 folder.
"""
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from services.notify.exceptions import SendRefused
from shared.config import private_dir, write_private_file

UNDISCLOSED = "undisclosed-recipients:;"


class Mailer:
    def __init__(self, sender, host=None, port=25, username=None, password=None, starttls=False,
                 folder=None, timeout=10.0):
        self.sender = sender
        self.host = host
        self.port = int(port)
        self.username = username
        self.password = password
        self.starttls = starttls
        self.folder = Path(folder) if folder else None
        self.timeout = timeout

    def compose(self, to, subject, body, reference=None):
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        if reference:
            message["X-Rongtuk-Delivery"] = str(reference)
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, no vacation loops
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="rongtuk.local")
        message.set_content(body)  # UTF-8, so Thai arrives intact
        return message

    def send(self, to, subject, body, reference=None):
        """Send one message; `reference` (the delivery's id) names it in a header and in the folder. A
        5xx refusal of the address or the message is SendRefused (not sent again); a 4xx, SmtpLater;
        the server unreachable or timing out, its own error: both are tried again."""
        if not self.host:
            message = self.compose(UNDISCLOSED, subject, body, reference)
            private_dir(self.folder)
            write_private_file(self.folder / f"{reference or uuid.uuid4()}.eml", bytes(message))
            return
        message = self.compose(to, subject, body, reference)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _said in exc.recipients.values()]
            if codes and all(_permanent(code) for code in codes):  # 550 no such mailbox: so it stays
                raise SendRefused(f"the mail server refused the address ({codes[0]})") from None
            raise SmtpLater(f"the mail server deferred the address ({codes[0] if codes else '?'})") from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            if _permanent(exc.smtp_code):
                raise SendRefused(f"the mail server refused the message ({exc.smtp_code})") from None
            raise SmtpLater(f"the mail server deferred the message ({exc.smtp_code})") from None


class SmtpLater(RuntimeError):
    """A 4xx from the mail server (greylisting, a full mailbox for now): the delivery is retried. Its
    text is the code alone: the server's words can quote the address."""


def _permanent(code):
    return 500 <= int(code or 0) < 600
