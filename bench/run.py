"""The benchmark suite: every page a person waits for at province scale, on SQLite and PostgreSQL.

    .venv/bin/python bench/run.py [--db sqlite|postgres|both] [--scale F] [--repeat N]
                                  [--only scenario,...] [--reuse] [--sweep-cases N]

For each database it creates a fresh one (a SQLite file under ``--data-dir``; the PostgreSQL
database ``onezone_bench``, dropped and recreated), migrates it, fills it with
``onezone synth --scale F --seed 1`` and then, in a worker process bound to that database, times
each scenario against the raw SQL that returns the same rows or aggregates, interleaved and warm.
It prints a table per database (median, p95, baseline, ratio, goal met or MISSED), the query plan
of the slowest query of each scenario that missed its goal, and writes the same report as Markdown
to ``bench/results/<db>-<date>.md``. ``--reuse`` keeps a database already filled at that scale.
See docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from scenarios import pages  # noqa: E402
from scenarios.measure import MAX_RATIO, PAGE_P95_MS, Result  # noqa: E402

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = os.environ.get("ONEZONE_BENCH_PG", "onezone_bench")
SCENARIO_NAMES = [*pages.SCENARIOS, "import", "sweep"]
RESULT_MARK = "BENCH-RESULT "
PYTHON = sys.executable
BENCH_KEY = secrets.token_urlsafe(48)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the synth defaults (1.0 = province)")
    parser.add_argument("--repeat", type=int, default=30, help="timed rounds per page scenario")
    parser.add_argument("--only", default="", help=f"comma-separated, of: {', '.join(SCENARIO_NAMES)}")
    parser.add_argument("--reuse", action="store_true", help="keep a database already filled at this scale")
    parser.add_argument("--sweep-cases", type=int, default=0, help="reopen closed cases until this many are open")
    parser.add_argument(
        "--data-dir", default=os.environ.get("ONEZONE_BENCH_DIR", ""), help="where the SQLite file goes"
    )
    parser.add_argument("--results-dir", default=str(BENCH / "results"), help="where the Markdown reports go")
    parser.add_argument("--no-write", action="store_true", help="print only, write no report file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--analyze", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(only) - set(SCENARIO_NAMES))
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)}; choose from {', '.join(SCENARIO_NAMES)}")
    args.scenarios = only or list(SCENARIO_NAMES)
    if args.scale <= 0 or args.repeat < 1:
        parser.error("--scale must be positive and --repeat at least 1")
    args.data_dir = Path(args.data_dir or Path(tempfile.gettempdir()) / "onezone-bench")
    return args


# --- preparing a database -----------------------------------------------------------------------------------


def db_env(db: str, data_dir: Path) -> dict[str, str]:
    """The environment binding ``onezone`` to the bench database (production-like: DEBUG off)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "onezone.settings", "ONEZONE_DEBUG": "0"}
    # Plain HTTP from the test client: no TLS redirect; a key of its own since DEBUG is off.
    env["ONEZONE_BEHIND_TLS"] = "0"
    env.setdefault("ONEZONE_SECRET_KEY", BENCH_KEY)
    env["ONEZONE_DATA_DIR"] = str(data_dir / db)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH", "")]))
    if db == "postgres":
        env["ONEZONE_DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
    else:
        env.pop("ONEZONE_DATABASE_URL", None)
    return env


def _onezone(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "onezone", *argv], env=env, cwd=ROOT, text=True, capture_output=True)  # noqa: S603


def _recreate_postgres() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_NAME}")


def prepare(db: str, scale: float, *, reuse: bool, data_dir: Path) -> dict[str, object]:
    """A migrated database filled at ``scale``; reused as it is when ``reuse`` and it was filled at that scale."""
    env = db_env(db, data_dir)
    folder = Path(env["ONEZONE_DATA_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    # DEBUG off serves static names from the manifest, as in production.
    if not (folder / "static" / "staticfiles.json").exists():
        done = _onezone(env, "collectstatic", "--noinput", "-v0")
        if done.returncode:
            raise RuntimeError(f"collectstatic failed:\n{done.stderr[-3000:]}")
    marker = folder / "bench-data.json"
    if reuse and marker.exists():
        info = json.loads(marker.read_text())
        if info.get("scale") == scale and (db != "sqlite" or (folder / "onezone.sqlite3").exists()):
            # The kept data stays; the schema follows the code (new indexes apply to it).
            done = _onezone(env, "migrate", "-v0")
            if done.returncode:
                raise RuntimeError(f"migrate failed on {db}:\n{done.stderr[-3000:]}")
            return {**info, "reused": True}
    marker.unlink(missing_ok=True)
    if db == "postgres":
        _recreate_postgres()
    else:
        for path in folder.glob("onezone.sqlite3*"):
            path.unlink()
    started = time.perf_counter()
    done = _onezone(env, "migrate", "-v0")
    if done.returncode:
        raise RuntimeError(f"migrate failed on {db}:\n{done.stderr[-3000:]}")
    migrate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    if _onezone(env, "help", "synth").returncode == 0:
        generator = f"onezone synth --scale {scale:g} --seed 1"
        done = _onezone(env, "synth", "--scale", f"{scale:g}", "--seed", "1", "--quiet")
    else:
        generator = "onezone demo --no-serve (onezone synth is not available)"
        done = _onezone(env, "demo", "--no-serve")
    if done.returncode:
        raise RuntimeError(f"{generator} failed on {db}:\n{done.stderr[-3000:]}")
    info = {
        "scale": scale,
        "generator": generator,
        "migrate_seconds": round(migrate_seconds, 1),
        "generate_seconds": round(time.perf_counter() - started, 1),
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    marker.write_text(json.dumps(info))
    return {**info, "reused": False}


def run_worker(db: str, args: argparse.Namespace) -> dict:
    """Run the scenarios in processes bound to ``db``; their results as a dict.

    The sweep runs in a process of its own, so its memory figures are not those left by the pages."""
    groups = [[n for n in args.scenarios if n != "sweep"], [n for n in args.scenarios if n == "sweep"]]
    groups = [names for names in groups if names]
    payloads = [_worker_process(db, args, names, analyze=n == 0) for n, names in enumerate(groups)]
    return {**payloads[0], "results": [r for p in payloads for r in p["results"]]}


def _worker_process(db: str, args: argparse.Namespace, names: list[str], *, analyze: bool) -> dict:
    argv = [PYTHON, str(Path(__file__).resolve()), "--worker", "--db", db, "--repeat", str(args.repeat)]
    argv += ["--analyze"] if analyze else []
    argv += ["--only", ",".join(names), "--sweep-cases", str(args.sweep_cases)]
    done = subprocess.run(argv, env=db_env(db, args.data_dir), cwd=ROOT, text=True, capture_output=True)  # noqa: S603
    sys.stderr.write(done.stderr)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if done.returncode or not lines:
        raise RuntimeError(f"the {db} worker failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return json.loads(lines[-1][len(RESULT_MARK) :])


# --- the worker: timing in a process bound to one database -----------------------------------------------


def setup_django() -> None:
    """Django set up as the production server sets it up: through ``onezone.wsgi`` (which also
    freezes what start-up loaded out of the garbage collector's full passes)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onezone.settings")
    from django.conf import settings

    import onezone.wsgi  # noqa: F401

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS.append("testserver")


def data_counts() -> dict[str, int]:
    from django.db import connection

    tables = {
        "zones": "zones_zone",
        "parks": "zones_park",
        "enterprises": "enterprises_enterprise",
        "cases": "window_case",
        "requests": "enterprises_enterpriserequest",
        "projects": "investment_project",
        "list items": "powers_poweritem",
        "users": "auth_user",
    }
    counts = {}
    with connection.cursor() as cursor:
        for label, table in tables.items():
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[label] = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM window_case WHERE is_open")
        counts["open cases"] = cursor.fetchone()[0]
    return counts


def run_scenarios(names: list[str], *, repeat: int, sweep_cases: int = 0, log=print) -> list[Result]:
    """Time the named scenarios on the configured database (Django set up); pages first, the sweep last."""
    from scenarios import batch
    from scenarios.measure import fill_timings, interleaved, judge_page, slowest_query

    results: list[Result] = []
    page_names = [n for n in names if n in pages.SCENARIOS]
    ctx = pages.build_context() if page_names else None
    if ctx is not None:
        log(f"zone {ctx.zone.code} (id {ctx.zone.pk}); clerk {ctx.clerk.username}; case {ctx.case_id}")
        for note in ctx.notes:
            log(note)
    for name in page_names:
        label, builder = pages.SCENARIOS[name]
        result = Result(name=name, label=label, kind="page")
        results.append(result)
        try:
            calls = builder(ctx)
        except LookupError as exc:
            result.skipped = f"no data: {exc}"
            log(f"{name}: skipped ({result.skipped})")
            continue
        if name == "ranking":
            result.notes += ctx.notes
        fill_timings(result, interleaved(calls, repeat))
        judge_page(result)
        slowest_query(calls["page"], result)
        log(f"{name}: median {result.median_ms:.1f} ms, p95 {result.p95_ms:.1f} ms, ratio {result.ratio:.2f}")
    if "import" in names:
        results.append(batch.powers_import(repeat=min(repeat, 3)))
        log(f"import: median {results[-1].median_ms:.0f} ms")
    if "sweep" in names:
        results.append(batch.sweep(sweep_cases=sweep_cases))
        log("sweep: " + "; ".join(results[-1].notes[:1]))
    return results


def worker(args: argparse.Namespace) -> None:
    setup_django()
    from scenarios.measure import machine

    if args.analyze:
        # Fresh bulk-loaded tables have no planner statistics, and on PostgreSQL no page marked
        # all-visible (no index-only scan); a running site has both (autovacuum).
        from django.db import connection

        statement = "VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE"
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(statement)
        print(f"{statement} in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    results = run_scenarios(
        args.scenarios, repeat=args.repeat, sweep_cases=args.sweep_cases, log=lambda m: print(m, file=sys.stderr)
    )
    payload = {"machine": machine(), "data": data_counts(), "results": [r.as_dict() for r in results]}
    print(RESULT_MARK + json.dumps(payload, default=str))


# --- the report ---------------------------------------------------------------------------------------------


def _today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value / 1000:.2f} s" if value >= 10_000 else f"{value:.1f}"


def _goal(r: dict) -> str:
    if r["skipped"]:
        return "skipped"
    if r["goal_met"] is None:
        return "no goal"
    return "met" if r["goal_met"] else "MISSED"


def table_rows(results: list[dict]) -> list[list[str]]:
    header = ["scenario", "median ms", "p95 ms", "selector ms", "raw SQL ms", "ratio", "queries", "SQL ms", "goal"]
    rows = [header]
    for r in results:
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.2f}"
        queries = "—" if r["queries"] is None else str(r["queries"])
        rows.append(
            [
                r["name"],
                _ms(r["median_ms"]),
                _ms(r["p95_ms"]),
                _ms(r["read_median_ms"]),
                _ms(r["baseline_median_ms"]),
                ratio,
                queries,
                _ms(r.get("sql_ms")),
                _goal(r),
            ]
        )
    return rows


def text_report(db: str, payload: dict) -> str:
    rows = table_rows(payload["results"])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [f"== {db}: " + ", ".join(f"{v:,} {k}" for k, v in payload["data"].items())]
    for n, row in enumerate(rows):
        lines.append(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    for r in payload["results"]:
        for note in r["notes"]:
            lines.append(f"  {r['name']}: {note}")
        if r["skipped"]:
            lines.append(f"  {r['name']}: {r['skipped']}")
        if r["goal_met"] is False:
            lines.append(f"\nMISSED {r['name']}: {'; '.join(r['misses'])}")
            if r["slow_sql"]:
                lines.append(f"  slowest query ({r['slow_sql_ms']:.1f} ms of {r['queries']}): {r['slow_sql'][:600]}")
                lines.append("  plan:\n" + "\n".join("    " + line for line in r["plan"].splitlines()))
    return "\n".join(lines)


def markdown_report(db: str, payload: dict, prep: dict, args: argparse.Namespace) -> str:
    m = payload["machine"]
    out = [
        f"# Benchmark on {m['database']} — {_today()}",
        "",
        f"Command: `.venv/bin/python bench/run.py --db {db} --scale {args.scale:g} --repeat {args.repeat}"
        + (f" --sweep-cases {args.sweep_cases}" if args.sweep_cases else "")
        + "`",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM; {m['os']}; Python {m['python']}, "
        f"Django {m['django']}; {m['database']}. Load average at the end (1/5/15 min): {m.get('load', '?')}.",
        "",
        f"Data: {prep.get('generator', '?')}"
        + (" (reused)" if prep.get("reused") else f", generated in {prep.get('generate_seconds', '?')} s")
        + ": "
        + ", ".join(f"{v:,} {k}" for k, v in payload["data"].items())
        + ".",
        "",
        f"Goals: pages and endpoints p95 < {PAGE_P95_MS:.0f} ms and selector within {MAX_RATIO}× of the raw SQL; "
        "the sweep of 1,000,000 open cases under 60 s with flat memory. Times in ms unless marked s.",
        "",
    ]
    rows = table_rows(payload["results"])
    out.append("| " + " | ".join(rows[0]) + " |")
    out.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(rows[0]))) + "|")
    out += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    notes = [(r["name"], n) for r in payload["results"] for n in [*r["notes"], r["skipped"]] if n]
    if notes:
        out += ["", "Notes:", ""] + [f"- {name}: {note}" for name, note in notes]
    for r in payload["results"]:
        if r["goal_met"] is False:
            out += ["", f"## MISSED: {r['label']}", "", "; ".join(r["misses"]) + "."]
            if r["slow_sql"]:
                out += [
                    "",
                    f"Slowest query ({r['slow_sql_ms']:.1f} ms; {r['queries']} queries in the request):",
                    "",
                    "```sql",
                    r["slow_sql"],
                    "```",
                    "",
                    "Plan:",
                    "",
                    "```",
                    r["plan"],
                    "```",
                ]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        worker(args)
        return 0
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for db in databases:
        print(f"-- {db}: preparing at scale {args.scale:g} ...", flush=True)
        prep = prepare(db, args.scale, reuse=args.reuse, data_dir=args.data_dir)
        print(
            f"-- {db}: {prep['generator']}"
            + (" (reused)" if prep["reused"] else f" in {prep['generate_seconds']} s")
            + "; timing ...",
            flush=True,
        )
        payload = run_worker(db, args)
        print(text_report(db, payload), flush=True)
        if not args.no_write:
            target = Path(args.results_dir) / f"{db}-{_today()}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown_report(db, payload, prep, args))
            print(f"-- report written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
