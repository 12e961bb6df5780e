"""Official documents in Thai, rendered to PDF: a Jinja2 template (HTML and CSS) through WeasyPrint.

Templates live in services/reporting/templates/; an office that wants its own wording or layout puts
a file of the same name in the folder REPORTING.templates names, which is looked in first.

Two things make the Thai come out right:
- a Thai font the machine has: Noto Sans Thai (Debian's fonts-noto-core), else the TLWG fonts
  (fonts-thai-tlwg: Laksaman is the TH Sarabun design); .ci/run installs the first;
- sara am written as nikhahit + sara aa before rendering. The glyphs on the page are the same, but
  WeasyPrint (70.0) gives a glyph the text of the first cluster it drew it in: a composed sara am
  drawn first made every later sara aa read back as sara am ("สำนักงำน"), so that the PDF's text,
  copied or searched or read by pdftotext, was wrong although the page looked right. Composed again
  by shared.thai, the text reads back as written.
A plain module apart from WeasyPrint and Jinja2: no nameko, no database.
"""
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.reporting.periods import digits, thai_date
from shared.pdf import weasyprint_html
from shared.thai import SARA_AM, SARA_AM_DECOMPOSED

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONTS = "'Noto Sans Thai', 'Laksaman', 'Garuda', 'Loma', sans-serif"


class DocumentError(ValueError):
    """A template that cannot be found or filled (the message names it)."""


def environment(own_folder=None, thai_digits=True):
    """Jinja2 over the office's own templates (if any) and then the shipped ones, with the filters
    documents use: `num` (a number with thousands separators, in Thai digits unless thai_digits is
    False), `digits` and `date` (a Thai Buddhist Era date)."""
    folders = [FileSystemLoader(str(own_folder))] if own_folder else []
    env = Environment(loader=ChoiceLoader(folders + [FileSystemLoader(str(TEMPLATES))]),
                      autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["FONTS"] = FONTS
    env.filters["num"] = lambda n: digits(f"{n:,}", thai_digits)
    env.filters["digits"] = lambda text: digits(text, thai_digits)
    env.filters["date"] = lambda day: thai_date(day, thai_digits)
    env.filters["percent"] = lambda p: "-" if p is None else digits(f"{p:.2f}", thai_digits)
    return env


def render_html(template, context, own_folder=None, thai_digits=True):
    from jinja2 import TemplateNotFound, UndefinedError
    try:
        return environment(own_folder, thai_digits).get_template(template).render(**context)
    except TemplateNotFound as exc:
        raise DocumentError(f"no template {exc.name}") from None
    except UndefinedError as exc:
        raise DocumentError(f"{template}: {exc.message}") from None


def render_pdf(template, context, own_folder=None, thai_digits=True) -> bytes:
    """The filled template as PDF bytes."""
    HTML = weasyprint_html()  # imported here: it loads Pango, which only document rendering needs
    html = render_html(template, context, own_folder, thai_digits)
    return HTML(string=html.replace(SARA_AM, SARA_AM_DECOMPOSED), base_url=str(TEMPLATES)).write_pdf()
