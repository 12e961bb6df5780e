"""Notify's dependencies: the mailer, configured from SMTP settings."""
from nameko.extensions import DependencyProvider

from services.notify.mailer import Mailer
from shared.config import data_dir, setting


class MailerProvider(DependencyProvider):
    def setup(self):
        config = self.container.config
        self.mailer = Mailer(
            sender=setting(config, "SMTP", "sender", "Rongtuk <no-reply@rongtuk.local>"),
            host=setting(config, "SMTP", "host", "") or None,
            port=setting(config, "SMTP", "port", 25),
            username=setting(config, "SMTP", "username", "") or None,
            password=setting(config, "SMTP", "password", "") or None,
            starttls=bool(setting(config, "SMTP", "starttls", False)),
            folder=data_dir(config) / "mail",
        )

    def get_dependency(self, worker_ctx):
        return self.mailer
