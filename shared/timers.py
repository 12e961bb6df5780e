"""One timer for every periodic job of a service: nameko's Timer, its interval read from the config.

    @configured_timer("SLA", "sweep_interval", default=15, eager=True)
    def sweep(self): ...

The interval (seconds) is the setting `SECTION.key`, read when the service is set up, so that a site
tunes each job in its config file (or the environment variable the file names) and a test makes it
fast; `default` when the setting is absent. `eager` fires it once at start too, as nameko's does.
"""
from nameko.timer import Timer

from shared.config import setting


class ConfiguredTimer(Timer):
    def __init__(self, section, key, default, eager=False, **kwargs):
        self.section, self.key, self.default = section, key, default
        super().__init__(interval=default, eager=eager, **kwargs)

    def setup(self):
        interval = float(setting(self.container.config, self.section, self.key, self.default))
        if interval <= 0:
            raise ValueError(f"{self.section}.{self.key} must be a number of seconds above 0, not {interval:g}")
        self.interval = interval
        super().setup()


configured_timer = ConfiguredTimer.decorator
