"""What routing refuses or cannot read, each with its reason in words.

Plain classes (no nameko, no database), so the rules that raise them stay plain too. A refusal
raised by an RPC declared in its `expected_exceptions` reaches the caller as a nameko RemoteError
that names the class (`exc_type`, e.g. "RoutingError"), not the module: moving a class between
modules changes nothing a caller sees, renaming one does.
"""


class RoutingError(ValueError):
    """An officer's action that cannot be carried out; says why."""


class SiteMismatch(RoutingError):
    """An answer from another site that does not belong to a case this site forwarded to it."""


class KnowledgeError(ValueError):
    """A knowledge-base entry, file or change that cannot be taken as given; says why."""


class DirectoryError(ValueError):
    """A directory (deploy/directory.yml) that does not validate; says where."""


class ModelError(ValueError):
    """Training data or a model that cannot be used; says why."""


class DocumentRefused(RoutingError):
    """A result document that is malformed or breaks the rules files keep (shared/files.py); says which."""
