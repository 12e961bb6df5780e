"""Notify's dependencies: a sender per channel (e-mail over SMTP or to files, LINE pushes)."""
from nameko.extensions import DependencyProvider

from services.notify.line_push import LinePusher
from services.notify.mailer import Mailer
from shared.config import data_dir, setting


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
        self.senders = {"email": mailer, "line": line}

    def get_dependency(self, worker_ctx):
        return self.senders
