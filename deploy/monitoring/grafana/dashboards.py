"""Rongtuk's Grafana dashboards, written from this file: `python deploy/monitoring/grafana/dashboards.py`
writes dashboards/*.json beside it (a test checks that the files are what this writes, and a real
Prometheus answers every panel's query: tests/integration/test_dashboards.py).

Three dashboards, for Grafana 10 or later, on a Prometheus data source chosen with `$datasource`:
- rongtuk-site-sla: a site's SLA overview (open complaints by state and time left, due soon,
  on-time share by unit and kind, breaches and escalations over time);
- rongtuk-hub-districts: the hub's view of each district that feeds it (its cases, open clocks,
  breaches, on-time share of its recent cases as its feed tells them, and the feed and links);
- rongtuk-pipeline: each service's health (processes up, calls, errors, latency, outbox, retries,
  dead letters, federation links).

Every query reads the metrics of docs/operations.md#metrics or the recording rules of
../rules/recording.yml. The SLA, outbox and dead-letter figures are their service's database's: every
process says the same, so they are taken with `max without (instance)`, never summed over processes.
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
ONE = "max without (instance)"   # one process's figure of a database-counted metric


# --- panels ---------------------------------------------------------------------------------------

def target(expr, legend="", ref="A", instant=False, table=False):
    found = {"refId": ref, "datasource": DATASOURCE, "expr": expr, "legendFormat": legend,
             "range": not instant, "instant": instant}
    if table:
        found["format"] = "table"
    return found


def thresholds(*steps):
    """thresholds("green", 1, "red"): green below 1, red from 1."""
    colours, values = steps[0::2], [None, *steps[1::2]]
    return {"mode": "absolute", "steps": [{"color": c, "value": v} for c, v in zip(colours, values)]}


def panel(kind, title, description, targets, unit="short", size=(12, 8), defaults=None, options=None,
          custom=None, **extra):
    field = {"unit": unit, "thresholds": thresholds("green"), "color": {"mode": "palette-classic"}, **(defaults or {})}
    if custom is not None:
        field["custom"] = custom
    return {"type": kind, "title": title, "description": description, "datasource": DATASOURCE,
            "targets": targets, "fieldConfig": {"defaults": field, "overrides": []}, "options": options or {},
            "_size": size, **extra}


def stat(title, description, expr, unit="short", colours=None, size=(4, 5), mappings=None):
    defaults = {"thresholds": colours or thresholds("blue"), "color": {"mode": "thresholds"}}
    if mappings:
        defaults["mappings"] = mappings
    return panel("stat", title, description, [target(expr)], unit=unit, size=size, defaults=defaults,
                 options={"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                          "colorMode": "value", "graphMode": "area", "textMode": "auto", "justifyMode": "auto",
                          "orientation": "auto"})


def timeseries(title, description, targets, unit="short", size=(12, 8), stacked=False, bars=False, max_=None):
    custom = {"drawStyle": "bars" if bars else "line", "lineWidth": 1, "fillOpacity": 60 if bars else 10,
              "showPoints": "never", "spanNulls": True, "stacking": {"mode": "normal" if stacked else "none"}}
    defaults = {"min": 0}
    if max_ is not None:
        defaults["max"] = max_
    # bars count increase() over each interval: at least two scrapes of the shipped configs' 30 s in it
    extra = {"interval": "1m"} if bars else {}
    return panel("timeseries", title, description, targets, unit=unit, size=size, custom=custom, defaults=defaults,
                 options={"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
                          "tooltip": {"mode": "multi", "sort": "desc"}}, **extra)


def bargauge(title, description, targets, unit="percentunit", size=(12, 8), colours=None, max_=1):
    defaults = {"min": 0, "thresholds": colours or thresholds("red", 0.8, "green"), "color": {"mode": "thresholds"}}
    if max_ is not None:
        defaults["max"] = max_
    return panel("bargauge", title, description, [dict(t, instant=True, range=False) for t in targets], unit=unit,
                 size=size, defaults=defaults,
                 options={"displayMode": "gradient", "orientation": "horizontal", "showUnfilled": True,
                          "valueMode": "color", "namePlacement": "left",
                          "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}})


def table(title, description, columns, by, size=(24, 8)):
    """One row per value of the label `by`; `columns` [(header, expr, unit)], each an instant query."""
    refs = [chr(ord("A") + n) for n in range(len(columns))]
    targets = [target(expr, ref=ref, instant=True, table=True) for ref, (_h, expr, _u) in zip(refs, columns)]
    overrides = [{"matcher": {"id": "byName", "options": header},
                  "properties": [{"id": "unit", "value": unit}]} for header, _e, unit in columns]
    found = panel("table", title, description, targets, size=size,
                  options={"showHeader": True, "cellHeight": "sm", "sortBy": [{"displayName": by}]},
                  transformations=[
                      {"id": "merge", "options": {}},
                      {"id": "organize", "options": {
                          "excludeByName": {"Time": True},
                          "renameByName": {f"Value #{ref}": header for ref, (header, _e, _u) in zip(refs, columns)},
                          "indexByName": {by: 0, **{f"Value #{ref}": n + 1 for n, ref in enumerate(refs)}}}},
                      {"id": "filterFieldsByName",
                       "options": {"include": {"names": [by] + [h for h, _e, _u in columns]}}},
                  ])
    found["fieldConfig"]["overrides"] = overrides
    return found


def row(title):
    return {"type": "row", "title": title, "collapsed": False, "panels": [], "_size": (24, 1)}


def laid_out(panels):
    """Grafana's grid: 24 columns, each panel placed after the one before, a new line when it is full."""
    x = y = line = 0
    placed = []
    for number, item in enumerate(panels, start=1):
        w, h = item.pop("_size")
        if x + w > 24 or item["type"] == "row":
            x, y, line = 0, y + line, 0
        placed.append({"id": number, "gridPos": {"h": h, "w": w, "x": x, "y": y}, **item})
        x, line = x + w, max(line, h)
        if item["type"] == "row":
            x, y, line = 0, y + h, 0
    return placed


# --- variables ------------------------------------------------------------------------------------

def datasource_variable():
    return {"name": "datasource", "label": "Prometheus", "type": "datasource", "query": "prometheus",
            "current": {}, "hide": 0, "refresh": 1, "regex": "", "options": []}


def label_variable(name, label, metric, of, all_=True):
    query = f"label_values({metric}, {of})"
    return {"name": name, "label": label, "type": "query", "datasource": DATASOURCE,
            "query": {"query": query, "refId": name}, "definition": query, "refresh": 2, "sort": 1,
            "includeAll": all_, "allValue": ".*", "multi": all_, "hide": 0, "options": [], "regex": "",
            "current": {"selected": True, "text": ["All"], "value": ["$__all"]} if all_ else {}}


def dashboard(uid, title, description, variables, panels, time_from="now-7d"):
    return {
        "uid": uid, "title": title, "description": description, "tags": ["rongtuk"], "timezone": "Asia/Bangkok",
        "editable": True, "graphTooltip": 1, "schemaVersion": 39, "version": 1, "refresh": "1m",
        "time": {"from": time_from, "to": "now"}, "fiscalYearStartMonth": 9,  # the Thai fiscal year: October
        "annotations": {"list": []},
        "links": [{"title": "Rongtuk", "type": "dashboards", "tags": ["rongtuk"], "asDropdown": True}],
        "templating": {"list": [datasource_variable(), *variables]},
        "panels": laid_out(panels),
    }


# --- the site's SLA overview ----------------------------------------------------------------------

CLOCKS = 'site=~"$site",unit=~"$unit",kind=~"$kind"'


def site_sla():
    resolution = f'{CLOCKS},target="resolution"'
    open_clocks = f"rongtuk_sla_open_clocks{{{resolution}}}"

    def stopped(outcome="", window="30d"):
        matcher = f',outcome="{outcome}"' if outcome else ""
        return f"sum({ONE} (increase(rongtuk_sla_clocks_stopped_total{{{resolution}{matcher}}}[{window}])))"

    panels = [
        stat("เรื่องที่ยังไม่แล้วเสร็จ · Open complaints", "Complaints whose resolution clock runs or is paused "
             "(each case once, whichever unit holds it).", f"sum({ONE} ({open_clocks}))"),
        stat("เกินกำหนดแล้ว · Past their deadline", "Open complaints past their legal deadline: in red in "
             "the officers' queue.",
             f'sum({ONE} (rongtuk_sla_open_clocks{{{resolution},state="breached"}})) or vector(0)',
             colours=thresholds("green", 1, "red")),
        stat("ใกล้ครบกำหนด · Due by the next business day", "Running resolution clocks due from now to the "
             "close of the site's next business day.",
             f"sum({ONE} (rongtuk_sla_due_soon_clocks{{{resolution}}})) or vector(0)",
             colours=thresholds("green", 1, "orange")),
        stat("แล้วเสร็จตามกำหนด 30 วัน · On time, 30 days", "Resolutions within their legal deadline over the "
             "last 30 days: met / (met + late). The objective is 80%.",
             f'{stopped("met")} / {stopped()}', unit="percentunit", colours=thresholds("red", 0.8, "green")),
        stat("ยกระดับ 7 วัน · Escalations, 7 days", "Cases escalated to a higher level over the last 7 days, "
             "as the SLA policy says.",
             f'sum({ONE} (increase(rongtuk_sla_steps_total{{{resolution},step="escalation"}}[7d])))',
             colours=thresholds("green", 1, "orange")),
        stat("ตัวเลขครบ · SLA figures counted", "1: sla's database answered the last scrape; 0: the SLA "
             "figures are missing from Prometheus (not the clocks from sla).", "min(rongtuk_sla_figures_up)",
             colours=thresholds("red", 1, "green"),
             mappings=[{"type": "value", "options": {"0": {"text": "ไม่ได้ · no"}, "1": {"text": "ได้ · yes"}}}]),
        row("เรื่องที่ยังไม่แล้วเสร็จ · Open complaints"),
        timeseries("ตามสถานะ · By state", "open: within time; warned: near the deadline, its unit was warned; "
                   "breached: past it; paused: waiting for the complainant.",
                   [target(f"sum by (state) ({ONE} ({open_clocks}))", "{{state}}")], stacked=True),
        bargauge("ตามหน่วยงาน · By unit and time left", "Open complaints of each unit: past the deadline, "
                 "due by the next business day (0 for a unit with none), and by state.",
                 [target(f"sum by (unit) ({ONE} (rongtuk_sla_due_soon_clocks{{{resolution}}}))",
                         "{{unit}} ใกล้ครบ · due soon", "A"),
                  target(f"sum by (unit, state) ({ONE} ({open_clocks}))", "{{unit}} {{state}}", "B")],
                 unit="short", colours=thresholds("blue"), max_=None),
        timeseries("ทุกเป้าหมาย · Open clocks by target", "Every clock apart: resolution, the complainant's "
                   "first notice (15 days; stopped by the first word to them), a forwarded case's answer.",
                   [target(f"sum by (target) ({ONE} (rongtuk_sla_open_clocks{{{CLOCKS}}}))", "{{target}}")]),
        timeseries("ครบกำหนดภายในวันทำการถัดไป · Due by the next business day", "Running clocks due by the close "
                   "of the next business day, by target.",
                   [target(f"sum by (target) ({ONE} (rongtuk_sla_due_soon_clocks{{{CLOCKS}}}))", "{{target}}")]),
        row("ตามกำหนดเวลา · On time"),
        bargauge("ตามกำหนด 30 วัน ตามหน่วยงานและประเภท · On time by unit and kind, 30 days",
                 "The recording rule site_unit_kind:rongtuk_sla_on_time:ratio30d: red under the 80% objective.",
                 [target(f"site_unit_kind:rongtuk_sla_on_time:ratio30d{{{CLOCKS}}}", "{{unit}} · ประเภท {{kind}}")]),
        bargauge("ตามกำหนด 7 วัน ตามหน่วยงานและประเภท · On time by unit and kind, 7 days",
                 "The recording rule site_unit_kind:rongtuk_sla_on_time:ratio7d.",
                 [target(f"site_unit_kind:rongtuk_sla_on_time:ratio7d{{{CLOCKS}}}", "{{unit}} · ประเภท {{kind}}")]),
        timeseries("แล้วเสร็จ ตามกำหนดและเกินกำหนด · Resolved, met and late", "Resolutions in each interval.",
                   [target(f"sum by (outcome) ({ONE} (increase(rongtuk_sla_clocks_stopped_total{{{resolution}}}"
                           f"[$__interval])))", "{{outcome}}")], stacked=True, bars=True),
        timeseries("สัดส่วนเกินกำหนด · Late share (the alerts' windows)", "The late share of resolutions over "
                   "6 hours and 3 days, as the burn-rate alerts read it (the budget is 20%).",
                   [target('site:rongtuk_sla_late:ratio6h{site=~"$site"}', "{{site}} 6h", "A"),
                    target('site:rongtuk_sla_late:ratio3d{site=~"$site"}', "{{site}} 3d", "B")],
                   unit="percentunit", max_=1),
        row("เกินกำหนดและยกระดับ · Breaches and escalations"),
        timeseries("เตือน เกินกำหนด ยกระดับ · Warnings, breaches, escalations", "Steps of the resolution clocks "
                   "fired in each interval.",
                   [target(f"sum by (step) ({ONE} (increase(rongtuk_sla_steps_total{{{resolution}}}[$__interval])))",
                           "{{step}}")], bars=True, stacked=True),
        timeseries("เกินกำหนดต่อวัน · Breaches a day", "The recording rule site:rongtuk_sla_breaches:increase1d.",
                   [target('site:rongtuk_sla_breaches:increase1d{site=~"$site"}', "{{site}}")]),
        timeseries("วันทำการจนแล้วเสร็จ · Business days to resolution", "Median and 90th percentile over the "
                   "last 7 days (every process of sla observes the clocks it stops: summed).",
                   [target("histogram_quantile(0.5, sum by (le) (increase(rongtuk_sla_business_days_to_resolution_"
                           'bucket{site=~"$site",kind=~"$kind"}[7d])))', "p50", "A"),
                    target("histogram_quantile(0.9, sum by (le) (increase(rongtuk_sla_business_days_to_resolution_"
                           'bucket{site=~"$site",kind=~"$kind"}[7d])))', "p90", "B")], unit="d", size=(24, 8)),
    ]
    variables = [label_variable("site", "สำนักงาน · site", "rongtuk_sla_open_clocks", "site"),
                 label_variable("unit", "หน่วยงาน · unit", 'rongtuk_sla_open_clocks{site=~"$site"}', "unit"),
                 label_variable("kind", "ประเภท · kind", 'rongtuk_sla_open_clocks{site=~"$site"}', "kind")]
    return dashboard("rongtuk-site-sla", "Rongtuk: กำหนดเวลา · site SLA", "A site's complaints against their "
                     "legal deadlines (docs/operations.md#dashboards).", variables, panels)


# --- the hub's districts --------------------------------------------------------------------------

DISTRICT = 'site=~"$district"'


def hub_districts():
    def resolved(outcome=""):  # of the cases received in the last 30 days (a gauge the hub counts)
        matcher = f',outcome="{outcome}"' if outcome else ""
        return f"sum by (site) ({ONE} (rongtuk_site_resolved{{{DISTRICT}{matcher}}}))"

    panels = [
        table("สำนักงาน · Districts", "Each district that feeds this hub, as its feed tells it.", [
            ("เรื่อง · cases", f"max by (site) (rongtuk_site_cases{{{DISTRICT}}})", "short"),
            ("ยังไม่แล้วเสร็จ · open", f'max by (site) (rongtuk_site_open_clocks{{{DISTRICT},target="resolution"}})',
             "short"),
            ("เกินกำหนด · breaches", f"max by (site) (rongtuk_site_breaches_total{{{DISTRICT}}})", "short"),
            ("ตามกำหนด 30 วัน · on time 30d", f'{resolved("met")} / {resolved()}', "percentunit"),
            ("ล่าช้า · lag", f"max by (site) (rongtuk_feed_lag_seconds{{{DISTRICT}}})", "s"),
            ("เงียบ · silent for", f"max by (site) (rongtuk_feed_silence_seconds{{{DISTRICT}}})", "s"),
            ("ขาด · missing", f"max by (site) (rongtuk_feed_missing_events{{{DISTRICT}}})", "short"),
        ], by="site"),
        row("เรื่องร้องเรียน · Complaints"),
        timeseries("ยังไม่แล้วเสร็จ · Open complaints", "Cases whose resolution clock runs, per district.",
                   [target(f'max by (site) (rongtuk_site_open_clocks{{{DISTRICT},target="resolution"}})',
                           "{{site}}")], stacked=True),
        bargauge("ตามกำหนด 30 วัน · On time, 30 days", "Of each district's cases received in the last 30 days "
                 "and resolved, the share resolved within the legal deadline: red under the 80% objective.",
                 [target(f'{resolved("met")} / {resolved()}', "{{site}}")]),
        timeseries("เรื่องที่แจ้ง · Cases told", "Cases each district's feed has told the hub of.",
                   [target(f"max by (site) (rongtuk_site_cases{{{DISTRICT}}})", "{{site}}")]),
        timeseries("เกินกำหนด · Breaches", "Deadlines passed unresolved, per district, in each interval.",
                   [target(f"sum by (site) ({ONE} (increase(rongtuk_site_breaches_total{{{DISTRICT}}}[$__interval])))",
                           "{{site}}")], bars=True, stacked=True),
        row("ข้อมูลจากสำนักงาน · The feeds"),
        timeseries("ความล่าช้า · Feed lag", "From the district's writing of its last event to the hub's folding "
                   "of it.", [target(f"max by (site) (rongtuk_feed_lag_seconds{{{DISTRICT}}})", "{{site}}")], unit="s",
                   size=(8, 8)),
        timeseries("ไม่ได้ยิน · Silent for", "Since the hub last heard from the district (a quiet district still "
                   "sends its heartbeat).",
                   [target(f"max by (site) (rongtuk_feed_silence_seconds{{{DISTRICT}}})", "{{site}}")], unit="s",
                   size=(8, 8)),
        timeseries("ขาดหาย · Missing events", "Numbers of the district's feed the hub has not received (asked "
                   "again after FEED.replay_after).",
                   [target(f"max by (site) (rongtuk_feed_missing_events{{{DISTRICT}}})", "{{site}}")], size=(8, 8)),
        timeseries("รับ · Events received", "Events of each district's feed folded, per second.",
                   [target(f"max by (site) (rate(rongtuk_feed_received_events_total{{{DISTRICT}}}[$__rate_interval]))",
                           "{{site}}")], unit="ops"),
        timeseries("การเชื่อมต่อ · Federation links", "1 while the link from each upstream runs (0: down).",
                   [target("max by (rongtuk_site, upstream, exchange) (rongtuk_federation_link_up)",
                           "{{upstream}} → {{rongtuk_site}} ({{exchange}})")], max_=1),
    ]
    variables = [label_variable("district", "สำนักงาน · district", "rongtuk_site_cases", "site")]
    return dashboard("rongtuk-hub-districts", "Rongtuk: ศูนย์กลาง · hub districts", "Every district that "
                     "feeds the hub (docs/hub.md, docs/operations.md#dashboards).", variables, panels)


# --- the pipeline ---------------------------------------------------------------------------------

SERVICE = 'rongtuk_site=~"$site",service=~"$service"'


def pipeline():
    rate = "[$__rate_interval]"
    panels = [
        timeseries("กระบวนการที่ทำงาน · Processes up", "1 while Prometheus reads the process's /metrics.",
                   [target('up{job="rongtuk",rongtuk_site=~"$site"}', "{{instance}}")], max_=1, size=(8, 8)),
        timeseries("เรียกใช้ · Calls", "Entrypoint calls per second, by service.",
                   [target(f"sum by (service) (rate(rongtuk_entrypoint_calls_total{{{SERVICE}}}{rate}))",
                           "{{service}}")],
                   unit="ops", size=(8, 8)),
        timeseries("ผิดพลาด · Errors and refusals", "Calls that raised (faults), and calls refused as their "
                   "entrypoint declares, per second.",
                   [target(f"sum by (service) (rate(rongtuk_entrypoint_errors_total{{{SERVICE}}}{rate}))",
                           "{{service}} errors", "A"),
                    target(f"sum by (service) (rate(rongtuk_entrypoint_refusals_total{{{SERVICE}}}{rate}))",
                           "{{service}} refusals", "B")], unit="ops", size=(8, 8)),
        timeseries("เวลาตอบสนอง p95 · Latency p95", "95th percentile by service and type of entrypoint.",
                   [target("histogram_quantile(0.95, sum by (le, service, type) (rate(rongtuk_entrypoint_latency_"
                           f"seconds_bucket{{{SERVICE}}}{rate})))", "{{service}} {{type}}")], unit="s"),
        timeseries("ช้าที่สุด · Slowest entrypoints (mean)", "The ten entrypoints with the longest mean call.",
                   [target(f"topk(10, sum by (service, entrypoint) (rate(rongtuk_entrypoint_seconds_total{{{SERVICE}}}"
                           f"{rate})) / sum by (service, entrypoint) (rate(rongtuk_entrypoint_calls_total{{{SERVICE}}}"
                           f"{rate})))", "{{service}}.{{entrypoint}}")], unit="s"),
        row("เหตุการณ์ · Events"),
        timeseries("รอส่ง · Outbox backlog", "Events recorded and not yet published.",
                   [target(f"max by (rongtuk_site, service) (rongtuk_outbox_backlog{{{SERVICE}}})",
                           "{{rongtuk_site}} {{service}}")], size=(8, 8)),
        timeseries("รอนานสุด · Oldest unpublished", "How long the oldest unpublished event has waited (the "
                   "RongtukOutboxStuck alert: over 5 minutes).",
                   [target("max by (rongtuk_site, service) "
                           f"(rongtuk_outbox_oldest_unpublished_age_seconds{{{SERVICE}}})",
                           "{{rongtuk_site}} {{service}}")], unit="s", size=(8, 8)),
        timeseries("ส่งแล้ว · Published", "Events the outbox relays published, per second.",
                   [target(f"sum by (service) (rate(rongtuk_outbox_published_total{{{SERVICE}}}{rate}))",
                           "{{service}}")],
                   unit="ops", size=(8, 8)),
        timeseries("ลองใหม่ · Handler retries", "Event handler attempts that failed and were tried again.",
                   [target(f"sum by (handler) (rate(rongtuk_handler_retries_total{{{SERVICE}}}{rate}))",
                           "{{handler}}")],
                   unit="ops"),
        timeseries("ข้อความค้าง · Dead letters waiting", "Messages a handler could not take after its retries, "
                   "waiting for an operator (rongtuk dlq list).",
                   [target(f"max by (rongtuk_site, service, reason) (rongtuk_dead_letters_waiting{{{SERVICE}}})",
                           "{{rongtuk_site}} {{service}} {{reason}}")]),
        row("การเชื่อมต่อระหว่างสำนักงาน · Links between sites"),
        timeseries("การเชื่อมต่อ · Federation links", "1 while the link from each upstream runs; "
                   "rongtuk_federation_links_known 0: the broker's management API did not answer.",
                   [target("max by (rongtuk_site, upstream, exchange) "
                           '(rongtuk_federation_link_up{rongtuk_site=~"$site"})',
                           "{{upstream}} → {{rongtuk_site}} ({{exchange}})", "A"),
                    target('min by (rongtuk_site) (rongtuk_federation_links_known{rongtuk_site=~"$site"})',
                           "{{rongtuk_site}} state known", "B")], max_=1, size=(8, 8)),
        timeseries("รอส่งถึงศูนย์กลาง · Feed to the hub", "At a district: its feed events not yet published to "
                   "the hub.", [target('max by (site) (rongtuk_feed_backlog_events{rongtuk_site=~"$site"})',
                                       "{{site}}")], size=(8, 8)),
        timeseries("รอนานสุด · Feed's oldest unpublished", "At a district: how long the oldest feed event has "
                   "waited (RongtukFeedToHubStuck: over 15 minutes).",
                   [target('max by (site) (rongtuk_feed_backlog_age_seconds{rongtuk_site=~"$site"})', "{{site}}")],
                   unit="s", size=(8, 8)),
    ]
    variables = [label_variable("site", "สำนักงาน · site", 'up{job="rongtuk"}', "rongtuk_site"),
                 label_variable("service", "บริการ · service", "rongtuk_entrypoint_calls_total", "service")]
    return dashboard("rongtuk-pipeline", "Rongtuk: ระบบ · pipeline health", "Each service's processes, calls, "
                     "events, retries and dead letters (docs/operations.md#dashboards).", variables, panels,
                     time_from="now-6h")


DASHBOARDS = {"rongtuk-site-sla.json": site_sla, "rongtuk-hub-districts.json": hub_districts,
              "rongtuk-pipeline.json": pipeline}


def rendered():
    """{file name: its text}, as written to dashboards/."""
    return {name: json.dumps(make(), ensure_ascii=False, indent=2) + "\n" for name, make in DASHBOARDS.items()}


def main():
    folder = HERE / "dashboards"
    folder.mkdir(exist_ok=True)
    for name, text in rendered().items():
        (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {folder / name}")


if __name__ == "__main__":
    sys.exit(main())
