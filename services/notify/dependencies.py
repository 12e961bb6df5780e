"""Notify's dependencies: a sender per channel (e-mail over SMTP or to files, LINE pushes, SMS through
a gateway), in the order a notice tries them, and the sealing and counting of the addresses it writes to."""
import logging
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from nameko.exceptions import ConfigurationError
from nameko.extensions import DependencyProvider
from sqlalchemy import event

from services.notify import digest, letters, office, webhooks
from services.notify.deliveries import DEFAULT_ORDER, seal_logged_addresses
from services.notify.line_push import LinePusher
from services.notify.mailer import Mailer
from services.notify.recipients import DEFAULT_DAILY_LIMIT, Recipients
from services.notify.sms import SmsGateway
from shared.config import data_dir, seal_key, setting
from shared.store import open_store

log = logging.getLogger(__name__)


class Senders(DependencyProvider):
    def setup(self):
        config = self.container.config
        mailer = Mailer(
            sender=setting(config, "SMTP", "sender", "Rongtuk <no-reply@rongtuk.local>"),
            host=setting(config, "SMTP", "host", "") or None,
            port=setting(config, "SMTP", "port", 25),
            username=setting(config, "SMTP", "username", "") or None,
            password=setting(config, "SMTP", "password", "") or None,
            starttls=bool(setting(config, "SMTP", "starttls", False)),
            folder=data_dir(config) / "mail",
        )
        line = LinePusher(setting(config, "LINE", "api_base", "https://api.line.me"),
                          setting(config, "LINE", "channel_access_token", "") or None)
        try:
            sms = SmsGateway.from_settings(config.get("SMS"))
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None
        try:
            endpoints = webhooks.parse_endpoints(config.get("WEBHOOKS"))
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None
        try:
            letter = letters.letter_queue(config)
        except letters.LetterError as exc:
            raise ConfigurationError(f"LETTERS: {exc}") from None
        available = {"email": mailer, "line": line, "sms": sms, "letter": letter}
        order = setting(config, "NOTIFY", "channel_order", None) or list(DEFAULT_ORDER)
        unknown = [c for c in order if c not in available]
        if unknown:
            raise ConfigurationError(f"NOTIFY.channel_order: unknown channel {unknown[0]!r} "
                                     f"(channels: {', '.join(available)})")
        # the channels configured, in the order a complainant's notice tries them (SMS: off without SMS.url)
        self.senders = {name: available[name] for name in order if available[name] is not None}
        if endpoints:  # no complainant's channel: what a case event is posted to (webhooks.py)
            self.senders["webhook"] = webhooks.WebhookSender(endpoints)

    def get_dependency(self, worker_ctx):
        return self.senders


class NoticeSettings(DependencyProvider):
    """How notices are worded (NOTIFY.templates: an office's own templates, looked in before the
    shipped ones; NOTIFY.thai_digits; NOTIFY.english) and when the office is not disturbed
    (NOTIFY.quiet_hours), and when each unit's daily digest goes (NOTIFY.digest_at): checked when notify starts, so a mistake stops it there."""

    def setup(self):
        config = self.container.config
        folder = setting(config, "NOTIFY", "templates", "") or None
        if folder and not Path(folder).is_dir():
            raise ConfigurationError(f"NOTIFY.templates: no folder {folder}")
        self.settings = Settings(
            wording={"folder": folder, "thai_digits": bool(setting(config, "NOTIFY", "thai_digits", False)),
                     "english": bool(setting(config, "NOTIFY", "english", True))})
        try:
            self.settings.quiet_hours = office.parse_quiet_hours(setting(config, "NOTIFY", "quiet_hours", None))
            self.settings.digest_at = digest.parse_at(setting(config, "NOTIFY", "digest_at", digest.DEFAULT_AT))
        except ValueError as exc:
            raise ConfigurationError(str(exc)) from None

    def get_dependency(self, worker_ctx):
        return self.settings


@dataclass
class Settings:
    wording: dict
    quiet_hours: tuple = None
    digest_at: time = None  # when each unit's daily digest goes (Bangkok); None: none


class SealedRecipients(DependencyProvider):
    """The site's seal key for the addresses in the delivery log, and the daily limit per address.
    At start, rows an older version logged with the address in the clear are sealed."""

    def setup(self):
        config = self.container.config
        self.recipients = Recipients(
            seal_key(config),
            daily_limit=setting(config, "NOTIFY", "daily_notices_per_address", DEFAULT_DAILY_LIMIT))

    def start(self):
        with open_store(self.container.config, self.container.service_name,
                        f"{self.container.service_name}.seal_logged_addresses") as store:
            sqlite = store.engine.dialect.name == "sqlite"
            if sqlite:  # what is rewritten is overwritten in the file, not left in its free space
                event.listen(store.engine, "connect",
                             lambda connection, _: connection.execute("PRAGMA secure_delete=ON"))
            with store.reading() as session:
                sealed = seal_logged_addresses(session, self.recipients)
            if sealed:
                log.warning("sealed the addresses of %d deliveries logged in the clear by an earlier version",
                            sealed)
                if sqlite:  # and the old pages leave the write-ahead log
                    with store.engine.connect() as connection:
                        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def get_dependency(self, worker_ctx):
        return self.recipients
