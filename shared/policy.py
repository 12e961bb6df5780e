"""Who may do what to which case: the one authorization policy every service asks.

A decision is `decide(role, action, relation, confidential=False, kind=None)`:

- `role`: what the caller is (ROLES). People have the first seven; `officer_key` is an officer API
  key of a script (site-wide, as the officer keys of earlier versions were) and `client_key` an
  Open311 client app's key.
- `action`: what they ask (ACTIONS): a read, an officer's routing action, a look at who complained,
  or a site-wide task (no case).
- `relation`: how the case stands to them (RELATIONS): a case of one of their units (`own_unit`),
  one they recorded themselves (`own_record`), another unit's case of their site (`other_unit`), a
  case of another site (`other_site`); None for an action on no case. A case that is both of their
  unit and recorded by them is `own_unit` (relation_of says which applies).
- `confidential`: the case is confidential (misconduct and the like: its complainant is protected).
- `kind`: the case's kind, 1-4; the complaint committee acts on kinds 3 and 4 only.

The answer is ALLOW, DENY, or APPROVAL: allowed once a second person cleared for it (unit head or
director of the case's unit, or the committee) has approved (a confidential complainant's identity).
TABLE is the whole policy, written out in docs/security.md#who-may-do-what (a test checks they say the
same). A plain module: no nameko, no database.
"""
ALLOW, DENY, APPROVAL = "allow", "deny", "approval"

ROLES = ("intake_officer", "unit_officer", "unit_head", "director", "committee", "executive", "admin",
         "officer_key", "client_key")
PEOPLE = ROLES[:7]

CASE_ACTIONS = (
    "read_case",         # the case page: its text, timeline, clocks, documents
    "confirm",           # confirm the unit routing chose
    "reroute",           # send it to another unit
    "change_kind",       # change its kind (and so its deadline)
    "request_info",      # ask the complainant for more
    "info_received",     # record the complainant's answer
    "unit_status",       # a unit's progress (in progress, answered, withdrawn) with a note
    "assign_units",      # give it to more units
    "forward",           # send it to another site
    "answer",            # give the result (closes it for the complainant)
    "reveal_identity",   # see who complained
    "approve_reveal",    # approve another officer's request to see who complained
)
SITE_ACTIONS = (
    "record_case",       # record a complaint from any channel (phone, counter, letter...)
    "read_figures",      # indicators, counts and reports (no case text)
    "manage_users",
    "manage_directory",
    "manage_calendar",
    "manage_knowledge",
)
ACTIONS = CASE_ACTIONS + SITE_ACTIONS
RELATIONS = ("own_unit", "own_record", "other_unit", "other_site")
COMMITTEE_KINDS = (3, 4)

_WORK = ("read_case", "change_kind", "request_info", "info_received", "unit_status", "answer")
_ROUTING = ("confirm", "reroute")


def _rules():
    """(role, action, relation, confidential) -> decision, for every combination: DENY unless granted."""
    table = {(role, action, relation, confidential): DENY
             for role in ROLES for action in CASE_ACTIONS for relation in RELATIONS for confidential in (False, True)}
    table.update({(role, action, None, False): DENY for role in ROLES for action in SITE_ACTIONS})

    def grant(role, actions, relations, decision=ALLOW, confidential=(False, True)):
        for action in actions:
            for relation in relations:
                for secret in confidential:
                    table[(role, action, relation, secret)] = decision

    # intake officers record from every channel and read what they recorded; a confidential case's
    # record is for its unit, not for whoever typed it in
    grant("intake_officer", ("record_case",), (None,), confidential=(False,))
    grant("intake_officer", ("read_case",), ("own_record",), confidential=(False,))
    # unit officers work their units' cases; they may ask who complained, but a confidential
    # complainant only with a second person's approval
    grant("unit_officer", _WORK + _ROUTING, ("own_unit",))
    grant("unit_officer", ("reveal_identity",), ("own_unit",), confidential=(False,))
    grant("unit_officer", ("reveal_identity",), ("own_unit",), APPROVAL, confidential=(True,))
    grant("unit_officer", ("record_case",), (None,), confidential=(False,))
    grant("unit_officer", ("read_case",), ("own_record",), confidential=(False,))
    # unit heads: as their officers, and they give a case to more units, send it to another site,
    # and approve a look at a confidential complainant of their units
    grant("unit_head", _WORK + _ROUTING + ("assign_units", "forward", "approve_reveal"), ("own_unit",))
    grant("unit_head", ("reveal_identity",), ("own_unit",), confidential=(False,))
    grant("unit_head", ("reveal_identity",), ("own_unit",), APPROVAL, confidential=(True,))
    grant("unit_head", ("record_case",), (None,), confidential=(False,))
    grant("unit_head", ("read_case",), ("own_record",), confidential=(False,))
    grant("unit_head", ("read_figures",), (None,), confidential=(False,))
    # directors: every case of their site
    site = ("own_unit", "own_record", "other_unit")
    grant("director", _WORK + _ROUTING + ("assign_units", "forward", "approve_reveal"), site)
    grant("director", ("reveal_identity",), site, confidential=(False,))
    grant("director", ("reveal_identity",), site, APPROVAL, confidential=(True,))
    grant("director", ("record_case", "read_figures"), (None,), confidential=(False,))
    # the complaint committee: the site's grave cases (kinds 3 and 4, decide() checks), their kind, and
    # approval of a look at a confidential complainant; it does not work the case itself
    grant("committee", ("read_case", "change_kind", "approve_reveal"), site)
    grant("committee", ("reveal_identity",), site, APPROVAL, confidential=(True,))
    grant("committee", ("reveal_identity",), site, confidential=(False,))
    grant("committee", ("read_figures",), (None,), confidential=(False,))
    # executives read the figures and reports, never a case
    grant("executive", ("read_figures",), (None,), confidential=(False,))
    # administrators run the site: users, directory, calendar, knowledge base; no case
    grant("admin", ("manage_users", "manage_directory", "manage_calendar", "manage_knowledge"), (None,),
          confidential=(False,))
    # an officer key (a script): site-wide like a director, but it approves nothing and a confidential
    # complainant needs a person's approval
    grant("officer_key", _WORK + _ROUTING + ("assign_units", "forward"), site)
    grant("officer_key", ("reveal_identity",), site, confidential=(False,))
    grant("officer_key", ("reveal_identity",), site, APPROVAL, confidential=(True,))
    grant("officer_key", ("record_case", "read_figures"), (None,), confidential=(False,))
    # an Open311 client app records requests
    grant("client_key", ("record_case",), (None,), confidential=(False,))
    return table


TABLE = _rules()


class PolicyError(ValueError):
    """A question the policy has no answer for (an unknown role, action or relation): a fault."""


def decide(role, action, relation=None, confidential=False, kind=None):
    """ALLOW, DENY or APPROVAL (see the module's doc)."""
    if role not in ROLES:
        raise PolicyError(f"no role {role!r}; roles: {', '.join(ROLES)}")
    if action not in ACTIONS:
        raise PolicyError(f"no action {action!r}")
    if action in SITE_ACTIONS:
        return TABLE[(role, action, None, False)]
    if relation not in RELATIONS:
        raise PolicyError(f"a case action needs the case's relation: one of {', '.join(RELATIONS)}")
    decision = TABLE[(role, action, relation, bool(confidential))]
    if role == "committee" and kind not in COMMITTEE_KINDS:
        return DENY
    return decision


def allowed(role, action, relation=None, confidential=False, kind=None):
    """True only for ALLOW (APPROVAL is not yet allowed)."""
    return decide(role, action, relation, confidential, kind) == ALLOW


def relation_of(case_site, case_units, recorded_by, site, units, who):
    """How a case stands to someone of `site` with `units` (their units; none for site-wide roles)
    known as `who`: own_unit, own_record, other_unit or other_site."""
    if case_site != site:
        return "other_site"
    if set(case_units or ()) & set(units or ()):
        return "own_unit"
    if recorded_by and who and recorded_by == who:
        return "own_record"
    return "other_unit"


MIN_REASON_WORDS = 3      # a reason for a look at who complained: at least this many words,
MIN_REASON_LETTERS = 15   # and this many letters (Thai is written without spaces between words:
#                           a Thai reason of this many letters is taken as a few words)


def reason_problem(reason):
    """Why a reason given for a look at who complained will not do, or None: a few words are needed
    ("x", "ok", "ดู" are not reasons), so that the record says why."""
    text = " ".join(str(reason or "").split())
    letters = [c for c in text if c.isalpha()]
    thai = sum(1 for c in letters if "\u0e00" <= c <= "\u0e7f")
    if len(letters) < MIN_REASON_LETTERS or len(set(letters)) < 4:
        return f"say why in a few words (at least {MIN_REASON_LETTERS} letters): the reason is on record"
    words = [w for w in text.split(" ") if any(c.isalpha() for c in w)]
    if thai < MIN_REASON_LETTERS and len(words) < MIN_REASON_WORDS:
        return f"say why in a few words (at least {MIN_REASON_WORDS}): the reason is on record"
    return None


_WORD = {ALLOW: "yes", DENY: "—", APPROVAL: "approval"}


def markdown_table():
    """TABLE as docs/security.md prints it: a row per action and relation, a column per role; a cell
    with two words is (an ordinary case / a confidential one)."""
    lines = ["| action | case | " + " | ".join(f"`{r}`" for r in ROLES) + " |",
             "|---|---|" + "---|" * len(ROLES)]
    for action in CASE_ACTIONS:
        for relation in RELATIONS:
            cells = []
            for role in ROLES:
                plain, secret = TABLE[(role, action, relation, False)], TABLE[(role, action, relation, True)]
                cells.append(_WORD[plain] if plain == secret else f"{_WORD[plain]} / {_WORD[secret]}")
            lines.append(f"| `{action}` | {relation} | " + " | ".join(cells) + " |")
    for action in SITE_ACTIONS:
        lines.append(f"| `{action}` | — | " + " | ".join(_WORD[TABLE[(role, action, None, False)]]
                                                        for role in ROLES) + " |")
    return "\n".join(lines)
