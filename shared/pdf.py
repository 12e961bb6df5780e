"""WeasyPrint's HTML, imported once whoever asks first.

WeasyPrint is imported only where a PDF is drawn: it loads Pango, which nothing else needs. Its first
import takes a while and can yield to other greenlets; Python's import lock is per thread, and every
greenlet of a service runs in the same thread, so a second greenlet importing it meanwhile would be
handed the half-loaded module ("NameError: name 'Document' is not defined", seen when a case's notices
became two letters at once). The import is made under a green semaphore.
"""
from eventlet.semaphore import Semaphore

_importing = Semaphore()


def weasyprint_html():
    """weasyprint.HTML, the module wholly loaded."""
    with _importing:
        from weasyprint import HTML
    return HTML
