"""Run the suite as several `nameko test` processes at once: `python -m tests.parallel [ARGS]`.

Most of the suite's time is spent waiting (for a `rongtuk run` to start and stop, for RabbitMQ,
for a timeout a test provokes), so a few processes side by side finish it in a fraction of the time
of one, even on two cores. pytest-xdist cannot do this: its workers talk to the controller over
threads that eventlet's monkey patch, which every nameko test process needs, turns into green
threads, and they hang. Each process here is a plain `nameko test` of its own files instead.

Test files are dealt to the processes longest first, each to the one with the least work so far,
by the seconds each file took last time (tests/durations.json; a file not in it is guessed from
its number of tests and its folder). `--store-durations` writes that file from this run.

ARGS are passed to every process, except for paths (files or folders), which choose what to run
(default: tests/; a test named by its node id, tests/x.py::test_y, runs in one process), and these,
read here:
  --jobs N           processes at once (default: TEST_JOBS, else 3; 1 runs a single `nameko test`)
  --store-durations  save how long each file took to tests/durations.json

The browser tests (tests/browser/) run in a process of their own, a plain pytest: Playwright's event
loop does not live with eventlet's monkey patch.

Every process's output goes to its own log; a process's summary is printed when it ends, and the
whole log of any that failed. The exit status is the first non-zero status of any process.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATIONS = ROOT / "tests" / "durations.json"
# seconds per test function, by folder, for a file with no recorded duration
GUESS = {"unit": 0.03, "service": 0.4, "integration": 4.0, "browser": 20.0}
# pytest's last line, with or without -q: "==== 12 passed, 1 skipped in 3.1s ====", "12 passed in 3.1s"
SUMMARY = re.compile(r"^(?:=+ )?((?:no tests ran|\d+ \w+)(?:, \d+ \w+)* in [0-9.]+s(?: \([0-9:]+\))?)(?: =+)?$")


def test_files(roots):
    files = []
    for root in roots:
        path = (ROOT / root) if not Path(root).is_absolute() else Path(root)
        if path.is_file():
            files.append(path)
        else:
            files.extend(sorted(path.rglob("test_*.py")))
    return [f.relative_to(ROOT).as_posix() for f in files]


def guessed_seconds(file):
    tests = len(re.findall(r"^\s*(?:async\s+)?def test_", (ROOT / file).read_text(encoding="utf-8"), re.M))
    folder = file.split("/")[1] if file.count("/") >= 2 else "unit"
    return max(tests, 1) * GUESS.get(folder, 1.0)


def deal(files, jobs, known):
    """The files in `jobs` groups of about equal total seconds (longest first, to the lightest group)."""
    weighted = sorted(((known.get(f) or guessed_seconds(f), f) for f in files), reverse=True)
    groups = [[0.0, []] for _ in range(jobs)]
    for seconds, file in weighted:
        lightest = min(groups, key=lambda g: g[0])
        lightest[0] += seconds
        lightest[1].append(file)
    return [(seconds, sorted(group)) for seconds, group in groups if group]


def split_args(args):
    """(paths, pytest options, jobs, store) from the command line."""
    paths, options, jobs, store = [], [], int(os.environ.get("TEST_JOBS") or 3), False
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--jobs":
            jobs = int(rest.pop(0))
        elif arg.startswith("--jobs="):
            jobs = int(arg.split("=", 1)[1])
        elif arg == "--store-durations":
            store = True
        elif not arg.startswith("-") and (ROOT / arg.split("::")[0]).exists():
            paths.append(arg)
        else:
            options.append(arg)
            # these options take a value (-k EXPR, --ignore PATH, ...): it goes with its option to every
            # process, and is not read as a path to run
            if arg in ("-k", "-m", "-p", "-o", "--durations", "--maxfail", "--deselect", "--ignore") and rest:
                options.append(rest.pop(0))
    return paths or ["tests"], options, max(1, jobs), store


def ignored(options):
    """The paths --ignore names: their files are not dealt to any process (pytest would still run a
    file it was given by name)."""
    paths = [options[i + 1] for i, arg in enumerate(options[:-1]) if arg == "--ignore"]
    paths += [arg.split("=", 1)[1] for arg in options if arg.startswith("--ignore=")]
    return [Path(p).as_posix().rstrip("/") for p in paths]


def nameko_test():
    return [sys.executable, "-m", "nameko", "test"]


BROWSER = "tests/browser/"  # Playwright's own event loop does not live with eventlet's monkey patch


def plain_pytest():
    """The browser tests' command: pytest without nameko's plugin (which wants the monkey patch)."""
    return [sys.executable, "-m", "pytest", "-p", "no:pytest_nameko"]


def file_seconds(report):
    """{file: seconds} from a junit XML report (setup, call and teardown of each test)."""
    seconds = {}
    for case in ElementTree.parse(report).iter("testcase"):
        parts = (case.get("classname") or "").split(".")
        for n in range(len(parts), 0, -1):
            file = "/".join(parts[:n]) + ".py"
            if (ROOT / file).is_file():
                seconds[file] = seconds.get(file, 0.0) + float(case.get("time") or 0)
                break
    return seconds


def main(args):
    paths, options, jobs, store = split_args(args)
    env = {**os.environ, "PYTHONWARNINGS": "ignore::Warning:nameko.cli.commands"}
    if any("::" in path for path in paths):  # single tests named: one process runs them
        runner = plain_pytest() if all(p.startswith(BROWSER) for p in paths) else nameko_test()
        return subprocess.call(runner + options + paths, cwd=ROOT, env=env)
    known = json.loads(DURATIONS.read_text()) if DURATIONS.exists() else {}
    skip = ignored(options)
    files = [f for f in test_files(paths) if not any(f == p or f.startswith(p + "/") for p in skip)]
    in_browser = [f for f in files if f.startswith(BROWSER)]
    files = [f for f in files if not f.startswith(BROWSER)]
    if jobs == 1 and not store and not in_browser:
        return subprocess.call(nameko_test() + options + paths, cwd=ROOT, env=env)
    groups = [(seconds, group, nameko_test()) for seconds, group in deal(files, jobs, known)]
    if in_browser:  # a process of their own, alongside the others
        groups.append((sum(known.get(f) or guessed_seconds(f) for f in in_browser), in_browser, plain_pytest()))
    if not groups:
        print(f"no test files under {' '.join(paths)}", flush=True)
        return 5  # pytest's "no tests collected"
    folder = Path(tempfile.mkdtemp(prefix="rongtuk-tests-"))
    started = time.monotonic()
    running = []
    for number, (seconds, files, runner) in enumerate(groups, 1):
        log = folder / f"process-{number}.log"
        report = folder / f"process-{number}.xml"
        command = runner + options + [f"--junitxml={report}", "-o", "junit_family=xunit1"] + files
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        running.append((number, process, log, report, len(files), seconds))
    print(f"{len(running)} test processes ({sum(len(g[1]) for g in groups)} files); logs in {folder}", flush=True)
    status, measured, ran = 0, {}, False
    for number, process, log, report, count, seconds in running:
        code = process.wait()
        text = log.read_text(errors="replace")
        summary = next((m.group(1) for m in map(SUMMARY.match, reversed(text.splitlines())) if m), f"exit {code}")
        print(f"process {number}: {summary} ({count} files, about {seconds:.0f}s expected)", flush=True)
        ran = ran or code != 5
        if code not in (0, 5):  # 5: no tests collected, as when -k deselects all of a process's files
            print(text, flush=True)
            status = status or code or 1
        if report.exists():
            measured.update(file_seconds(report))
    print(f"all {len(running)} processes done in {time.monotonic() - started:.1f}s", flush=True)
    if not ran:
        print("no process collected a test", flush=True)
        status = status or 5
    if store and measured:
        known.update({file: round(seconds, 2) for file, seconds in measured.items()})
        DURATIONS.write_text(json.dumps(dict(sorted(known.items())), indent=1) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
