"""deploy/monitoring/grafana/: the dashboards are what dashboards.py writes, laid out on Grafana's grid
without overlaps, every panel on the chosen data source, and every query reads only documented metrics,
recorded rules and defined variables (tests/integration/test_dashboards.py runs them in a real Prometheus)."""
import importlib.util
import json
import re

import yaml

from shared.config import PROJECT_ROOT

GRAFANA = PROJECT_ROOT / "deploy" / "monitoring" / "grafana"
BUILTIN = {"__interval", "__rate_interval", "__range", "datasource"}
PROMQL_WORDS = {"sum", "max", "min", "by", "without", "rate", "increase", "topk", "histogram_quantile", "le", "and",
                "or", "unless", "on", "ignoring", "label_values", "count", "avg", "timestamp", "vector"}


def generator():
    spec = importlib.util.spec_from_file_location("rongtuk_dashboards", GRAFANA / "dashboards.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shipped():
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in (GRAFANA / "dashboards").glob("*.json")}


def panels(board):
    for panel in board["panels"]:
        yield panel
        yield from panel.get("panels", [])


def exprs(board):
    for panel in panels(board):
        for target in panel.get("targets", []):
            yield panel["title"], target["expr"]


def known_names():
    """Every metric the docs' table lists (with its samples' suffixes) and every recorded rule."""
    docs = (PROJECT_ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    table = docs[docs.index("## Metrics"):docs.index("## Alerts")]
    names = set(re.findall(r"`(rongtuk_[a-z_]+)`", table))
    names |= {f"{n}_{suffix}" for n in names for suffix in ("bucket", "sum", "count")}
    recording = yaml.safe_load((PROJECT_ROOT / "deploy" / "monitoring" / "rules" / "recording.yml").read_text())
    return names | {rule["record"] for group in recording["groups"] for rule in group["rules"]}


def test_the_json_files_are_what_the_generator_writes():
    written = generator().rendered()
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in (GRAFANA / "dashboards").glob("*.json")}
    assert on_disk == written, "run: python deploy/monitoring/grafana/dashboards.py"


def test_three_dashboards_each_with_its_own_uid_and_panels_on_the_grid_without_overlap():
    boards = shipped()
    assert {board["uid"] for board in boards.values()} == {"rongtuk-site-sla", "rongtuk-hub-districts",
                                                           "rongtuk-pipeline"}
    for name, board in boards.items():
        ids = [panel["id"] for panel in panels(board)]
        assert len(ids) == len(set(ids)), name
        cells = set()
        for panel in board["panels"]:
            box = panel["gridPos"]
            assert 0 <= box["x"] and box["x"] + box["w"] <= 24 and box["h"] > 0, (name, panel["title"])
            mine = {(x, y) for x in range(box["x"], box["x"] + box["w"]) for y in range(box["y"], box["y"] + box["h"])}
            assert not mine & cells, (name, panel["title"], "overlaps another panel")
            cells |= mine


def test_every_panel_reads_the_chosen_prometheus_and_says_what_it_shows():
    for name, board in shipped().items():
        variables = {v["name"]: v for v in board["templating"]["list"]}
        assert variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
        for panel in panels(board):
            if panel["type"] == "row":
                continue
            assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, (name, panel["title"])
            assert panel["description"] and re.search("[\u0e00-\u0e7f]", panel["title"]), (name, panel["title"])
            refs = [target["refId"] for target in panel["targets"]]
            assert refs and len(refs) == len(set(refs)), (name, panel["title"])


def test_every_query_reads_documented_metrics_or_recorded_rules_and_defined_variables():
    known = known_names()
    for name, board in shipped().items():
        defined = {v["name"] for v in board["templating"]["list"]} | BUILTIN
        # a variable's query, label_values(selector, label): its selector read as a panel's query is
        queries = list(exprs(board)) + [(v["name"], re.fullmatch(r"label_values\((.+), *\w+\)", v["definition"])[1])
                                        for v in board["templating"]["list"] if v["type"] == "query"]
        assert queries, name
        for title, expr in queries:
            used = set(re.findall(r"\$\{?(\w+)", expr))
            assert used <= defined, (name, title, used - defined)
            bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\{[^}]*\}', " ", expr)   # strings, ranges and matchers out
            words = set(re.findall(r"[a-zA-Z_:][\w:]*", bare)) - PROMQL_WORDS
            labels = set(re.findall(r"\b(?:by|without)\s*\(([\w, ]*)\)", bare))
            label_words = {w.strip() for group in labels for w in group.split(",")}
            metrics = words - label_words
            assert metrics, (name, title, "reads no metric")
            assert metrics <= known | {"up"}, (name, title, metrics - known)


def test_the_provisioning_files_load_the_dashboards_from_files_on_a_prometheus_data_source():
    source = yaml.safe_load((GRAFANA / "provisioning" / "datasources" / "rongtuk.yml").read_text())
    assert source["apiVersion"] == 1 and source["datasources"][0]["type"] == "prometheus"
    provider = yaml.safe_load((GRAFANA / "provisioning" / "dashboards" / "rongtuk.yml").read_text())["providers"][0]
    assert provider["type"] == "file" and provider["options"]["path"] and provider["allowUiUpdates"] is False
