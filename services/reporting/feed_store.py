"""The feed in reporting's database: the district's numbered events (append, replay, forget) and the
hub's count of what it received from each site (receive, status, gaps). The rules are feed.py's."""
import json
from datetime import timedelta

from sqlalchemy import and_, delete, func, or_, select, update

from services.reporting import feed, readmodel
from services.reporting.exceptions import FeedNumberReused
from services.reporting.models import case_events, feed_events, feed_received, feed_sequence, feed_sites
from shared.store import insert_ignoring_duplicates
from shared.times import utcnow


# -- at the district --------------------------------------------------------------------------

def append(session, event, source, event_type, settings, now=None):
    """Write the event, redacted, as the feed's next number. Call it last in the transaction that
    folds the event: the number's row stays locked until that transaction commits, so numbers are
    committed in order and a rolled-back one is given again."""
    seq = session.execute(update(feed_sequence).where(feed_sequence.c.id == 1)
                          .values(last_seq=feed_sequence.c.last_seq + 1)
                          .returning(feed_sequence.c.last_seq)).scalar_one()
    body = feed.outgoing(event_type, _wire(event), settings.text)
    session.execute(feed_events.insert().values(
        seq=seq, event_id=event["event_id"], source=source, event_type=event_type,
        body=json.dumps(body, ensure_ascii=False), fed_at=now or utcnow()))
    return seq


def _wire(event):
    """The loaded event back in its wire form (dates as ISO text)."""
    return json.loads(json.dumps(event, ensure_ascii=False, default=lambda value: value.isoformat()))


def fold_and_feed(tx, event, source, event_type, settings):
    """A case event of this site: into the read model and, when the site feeds a hub (`settings`),
    into the feed, last. True when it went into the feed."""
    readmodel.record_event(tx, event, source, event_type)
    if settings is None:
        return False
    append(tx.session, event, source, event_type, settings)
    return True


def replay(tx, request):
    """The hub asked for a range again: publish it again (the relay finds the rows unpublished).
    Returns how many of the range this site still keeps."""
    where = and_(feed_events.c.seq >= request["from_seq"], feed_events.c.seq <= request["to_seq"])
    return tx.session.execute(update(feed_events).where(where).values(
        published_at=None, retry_at=None)).rowcount


def forget(tx, keep_days, now=None):
    """Delete the published events older than keep_days; returns how many."""
    before = (now or utcnow()) - timedelta(days=keep_days)
    return tx.session.execute(delete(feed_events).where(
        feed_events.c.published_at.is_not(None), feed_events.c.fed_at < before)).rowcount


def last_published(session):
    """The highest number published (what a heartbeat announces)."""
    return session.execute(select(func.max(feed_events.c.seq)).where(
        feed_events.c.published_at.is_not(None))).scalar_one() or 0


def backlog(session):
    """(events not yet published, the oldest one's fed_at or None)."""
    row = session.execute(select(func.count(), func.min(feed_events.c.fed_at))
                          .where(feed_events.c.published_at.is_(None))).one()
    return row[0], row[1]


# -- at the hub ---------------------------------------------------------------------------------

def receive(tx, message, event, now=None):
    """A district's event from its feed: folded into the read model once, however often it arrives
    (a redelivery, a replay). Returns False for a number already had. Only its own row of
    feed_received is written: events of one site fold side by side, and the site's summary
    (feed_sites) is brought up to date apart (`refresh`)."""
    now = now or utcnow()
    if not insert_ignoring_duplicates(tx.session, feed_received, {
            "site_id": message["site_id"], "seq": message["seq"], "event_id": event["event_id"],
            "event_type": message["event_type"], "fed_at": message["fed_at"], "received_at": now}):
        had = tx.session.execute(select(feed_received.c.event_id).where(
            feed_received.c.site_id == message["site_id"], feed_received.c.seq == message["seq"])).scalar_one()
        if had != event["event_id"]:
            raise FeedNumberReused(f"site {message['site_id']} sent number {message['seq']} again for another "
                                   f"event: was its feed restarted (its reporting database restored or made anew)?")
        return False
    insert_ignoring_duplicates(tx.session, feed_sites, {"site_id": message["site_id"], "contiguous_to": 0,
                                                        "highest": 0, "announced": 0, "received": 0})
    folded = tx.session.execute(select(case_events.c.seq).where(
        case_events.c.event_id == event["event_id"])).first()
    if folded is None:  # else its receipt was lost here, not the event: counted, not folded again
        readmodel.record_event(tx, event, message["source"], message["event_type"])
    return True


def _site_row(session, site):
    """The site's row, made on its first event or heartbeat, locked until the transaction ends."""
    insert_ignoring_duplicates(session, feed_sites, {"site_id": site, "contiguous_to": 0, "highest": 0,
                                                     "announced": 0, "received": 0})
    return session.execute(select(feed_sites).where(feed_sites.c.site_id == site).with_for_update()).one()


def _update_site(session, row, values, now):
    """Write the site's row, noting since when a number has been missing (or that none is)."""
    after = {**row._mapping, **values}
    missing = after["contiguous_to"] < max(after["highest"], after["announced"])
    values["gap_seen_at"] = (row.gap_seen_at or now) if missing else None
    session.execute(update(feed_sites).where(feed_sites.c.site_id == row.site_id).values(**values))


def announced(tx, heartbeat, now=None):
    """A district's heartbeat: the last number it published, so a lost tail shows as a gap too."""
    now = now or utcnow()
    row = _site_row(tx.session, heartbeat["site_id"])
    _update_site(tx.session, row, {"announced": max(row.announced, heartbeat["last_seq"]),
                                   "last_heard_at": now}, now)


def refresh(tx, now=None, site_id=None):
    """Bring each site's summary up to date from what was received: how far its numbers run without
    a gap, the highest, how many, the last event and its lag. Set-based, from where the summary was:
    it reads only the numbers received since."""
    now = now or utcnow()
    r, after = feed_received.alias("r"), feed_received.alias("after")
    sites = select(feed_sites.c.site_id)  # every site has its row from its first event (receive)
    if site_id:
        sites = sites.where(feed_sites.c.site_id == site_id)
    for site in tx.session.execute(sites).scalars().all():
        row = _site_row(tx.session, site)
        c = row.contiguous_to
        beyond = and_(r.c.site_id == site, r.c.seq > c)
        if tx.session.execute(select(r.c.seq).where(r.c.site_id == site, r.c.seq == c + 1)).first():
            # the run from c + 1 ends at the first number whose next one is missing
            c = tx.session.execute(select(func.min(r.c.seq)).where(beyond, ~select(after.c.seq).where(
                after.c.site_id == site, after.c.seq == r.c.seq + 1).exists())).scalar_one()
        ahead = tx.session.execute(select(func.count()).select_from(r).where(
            r.c.site_id == site, r.c.seq > c)).scalar_one()
        last = tx.session.execute(select(r).where(r.c.site_id == site).order_by(r.c.seq.desc()).limit(1)).first()
        if last is None:  # heard only by heartbeat so far
            _update_site(tx.session, row, {}, now)
            continue
        values = {"contiguous_to": c, "received": c + ahead, "highest": last.seq,
                  "last_event_type": last.event_type, "last_fed_at": last.fed_at,
                  "last_received_at": last.received_at,
                  "last_lag_seconds": max(0.0, (last.received_at - last.fed_at).total_seconds())}
        if row.last_received_at is None or last.received_at > row.last_received_at:
            values["last_heard_at"] = max(last.received_at, row.last_heard_at or last.received_at)
        _update_site(tx.session, row, values, now)


def gaps(session, site_id, contiguous_to, upto, limit=100):
    """The missing ranges of a site's feed beyond what runs without a gap, up to `upto` (at most
    `limit` ranges)."""
    received = session.execute(select(feed_received.c.seq).where(
        feed_received.c.site_id == site_id, feed_received.c.seq > contiguous_to)
        .order_by(feed_received.c.seq)).scalars().all()
    found = feed.missing_ranges(contiguous_to, received)
    last = received[-1] if received else contiguous_to
    if upto > last:
        found.append((last + 1, upto))
    return found[:limit]


def status(session, now=None):
    """Per site: what the hub has of its feed, its lag and its gaps (as of the last `refresh`)."""
    now = now or utcnow()
    sites = []
    for row in session.execute(select(feed_sites).order_by(feed_sites.c.site_id)).all():
        sites.append({
            "site_id": row.site_id, "highest": row.highest, "contiguous_to": row.contiguous_to,
            "received": row.received, "last_event_type": row.last_event_type,
            "last_fed_at": row.last_fed_at, "last_received_at": row.last_received_at,
            "lag_seconds": row.last_lag_seconds,
            "last_heard_at": row.last_heard_at,
            "silent_seconds": (now - row.last_heard_at).total_seconds() if row.last_heard_at else None,
            "announced": row.announced,
            "gaps": gaps(session, row.site_id, row.contiguous_to, max(row.highest, row.announced)),
            "replay_requested_at": row.replay_requested_at,
        })
    return sites


def gaps_to_ask(tx, wait_seconds, now=None, site_id=None):
    """The gaps to ask their districts for again: of sites missing a number for `wait_seconds` at
    least (events of one site may arrive a little out of order) and not asked within that time;
    with 0, every gap now. Returns [(site, first, last)] and marks each site asked."""
    now = now or utcnow()
    refresh(tx, now, site_id)
    query = select(feed_sites).where(feed_sites.c.gap_seen_at.is_not(None))
    if site_id:
        query = query.where(feed_sites.c.site_id == site_id)
    if wait_seconds:
        since = now - timedelta(seconds=wait_seconds)
        query = query.where(feed_sites.c.gap_seen_at <= since, or_(
            feed_sites.c.replay_requested_at.is_(None), feed_sites.c.replay_requested_at <= since))
    asks = []
    for row in tx.session.execute(query.with_for_update()).all():
        found = gaps(tx.session, row.site_id, row.contiguous_to, max(row.highest, row.announced))
        asks.extend((row.site_id, first, last) for first, last in found)
        tx.session.execute(update(feed_sites).where(feed_sites.c.site_id == row.site_id)
                           .values(replay_requested_at=now))
    return asks
