"""tests/parallel.py, the runner behind `make test`: how it deals files and reads its arguments."""
from tests import parallel


def test_files_are_dealt_longest_first_to_the_lightest_process():
    known = {"a.py": 90, "b.py": 60, "c.py": 50, "d.py": 40, "e.py": 10}

    groups = parallel.deal(list(known), 2, known)

    assert sorted(seconds for seconds, _ in groups) == [120, 130]
    assert sorted(file for _, files in groups for file in files) == sorted(known)


def test_no_more_processes_than_files():
    assert len(parallel.deal(["a.py"], 3, {"a.py": 5})) == 1


def test_paths_choose_what_runs_and_options_keep_their_values():
    paths, options, jobs, store = parallel.split_args(
        ["tests/unit", "-k", "calendar", "--jobs", "2", "-q", "--durations", "5", "--store-durations"])

    assert paths == ["tests/unit"] and jobs == 2 and store
    assert options == ["-k", "calendar", "-q", "--durations", "5"]


def test_without_paths_the_whole_suite_runs():
    assert parallel.split_args(["-x"])[0] == ["tests"]


def test_pytest_summaries_are_read_with_or_without_q():
    for line, summary in [("===== 3 passed, 1 skipped in 2.50s =====", "3 passed, 1 skipped in 2.50s"),
                          ("12 passed in 3.1s", "12 passed in 3.1s"),
                          ("== 1 failed, 2 passed in 200.1s (0:03:20) ==", "1 failed, 2 passed in 200.1s (0:03:20)")]:
        assert parallel.SUMMARY.match(line).group(1) == summary
    assert parallel.SUMMARY.match("tests/unit/test_x.py ....") is None


def test_ignored_paths_are_named_by_either_spelling():
    assert parallel.ignored(["-q", "--ignore", "tests/integration/", "--ignore=tests/unit/test_x.py"]) == [
        "tests/integration", "tests/unit/test_x.py"]
