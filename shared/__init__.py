"""Rongtuk's common package: the event contract, storage, messaging and metrics every service uses."""

import warnings

# eventlet announces its deprecation on import; nameko 2.14 needs it, so the notice is noise here.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)
