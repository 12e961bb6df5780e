"""E-mail out: over SMTP when a host is configured, else into a folder of .eml files (embedded mode)."""
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path


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

    def compose(self, to, subject, body):
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="rongtuk.local")
        message.set_content(body)  # UTF-8, so Thai arrives intact
        return message

    def send(self, to, subject, body):
        message = self.compose(to, subject, body)
        if not self.host:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / f"{uuid.uuid4()}.eml").write_bytes(bytes(message))
            return
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)
