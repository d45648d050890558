"""The benchmark runner (bench/run.py) still runs: cheap scenarios on a tiny database, and its report."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def run():
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module
    sys.path.remove(str(BENCH))


def test_arguments(run, tmp_path):
    args = run.parse_args(
        ["--db", "sqlite", "--scale", "0.01", "--only", "queue_api,sweep", "--data-dir", str(tmp_path)]
    )
    assert (args.db, args.scale, args.scenarios, args.repeat) == ("sqlite", 0.01, ["queue_api", "sweep"], 30)
    assert run.parse_args([]).scenarios == run.SCENARIO_NAMES
    with pytest.raises(SystemExit):
        run.parse_args(["--only", "nonsense"])
    env = run.db_env("postgres", tmp_path)
    assert env["ONEZONE_DATABASE_URL"].endswith("/onezone_bench")
    assert env["ONEZONE_DATA_DIR"] == str(tmp_path / "postgres")
    assert "ONEZONE_DATABASE_URL" not in run.db_env("sqlite", tmp_path)


def test_the_page_opens_every_round_and_the_others_follow_it_in_turn(run):
    from scenarios.measure import interleaved

    order = []
    samples = interleaved({name: lambda name=name: order.append(name) for name in ("page", "read", "baseline")}, 4)
    assert order[:3] == ["page", "read", "baseline"]  # the warm-up
    rounds = [order[i : i + 3] for i in range(3, len(order), 3)]
    assert rounds == [["page", "read", "baseline"], ["page", "baseline", "read"]] * 2
    assert {name: len(times) for name, times in samples.items()} == {"page": 4, "read": 4, "baseline": 4}


def test_pages_and_import_on_a_tiny_database(run, zone, users, calendar_seeded, tmp_path):
    results = run.run_scenarios(["queue_api", "enterprise_list"], repeat=3, log=lambda _: None)
    assert [r.name for r in results] == ["queue_api", "enterprise_list"]
    for r in results:
        assert not r.skipped, r.skipped
        assert r.runs == 3 and r.median_ms > 0 and r.p95_ms >= r.median_ms
        assert r.read_median_ms > 0 and r.baseline_median_ms > 0 and r.ratio > 0
        assert r.queries > 0 and 0 < r.sql_ms < r.median_ms * 10 and r.slow_sql.startswith("SELECT")
        assert r.goal_met is (r.p95_ms < 150 and r.ratio <= 1.5)

    from scenarios import batch

    imported = batch.powers_import(repeat=1, rows=20)
    assert imported.runs == 1 and imported.median_ms > 0 and imported.baseline_median_ms > 0
    from onezone.powers.models import PowerItem

    assert not PowerItem.objects.filter(implementation_code__startswith="IM-").exists()  # rolled back

    payload = {
        "machine": {
            "cpu": "cpu",
            "cores": "2",
            "ram": "1 GiB",
            "os": "os",
            "python": "3",
            "django": "5",
            "database": "db",
        },
        "data": {"zones": 1},
        "results": [r.as_dict() for r in [*results, imported]],
    }
    text = run.text_report("sqlite", payload)
    markdown = run.markdown_report("sqlite", payload, {"generator": "test"}, run.parse_args(["--db", "sqlite"]))
    for name in ("queue_api", "enterprise_list", "import"):
        assert name in text and f"| {name} |" in markdown
