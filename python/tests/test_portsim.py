"""The Python package against the command line: same numbers, same messages."""

import _thread
import importlib.metadata
import os
import signal
import threading
import time
from pathlib import Path

import pytest

import portsim
from conftest import cli, cli_json, without_wall_time

BUSINESS = "scenarios/validation/business-hours.toml"
MMC = "scenarios/validation/mmc.toml"
CHONGQING = "scenarios/chongqing-2017.toml"
# Short windows keep the tests quick: the numbers must agree whatever the window.
SHORT_BUSINESS = {"horizon_days": 60}
SHORT_MMC = {"horizon_days": 40, "warmup_days": 5}
SHORT_CHONGQING = {"horizon_days": 45}


def sets(values: dict) -> list:
    """The command line's ``--set`` flags for ``values``."""
    out = []
    for path, value in values.items():
        out += ["--set", f"{path}={value}"]
    return out


@pytest.fixture(scope="module")
def chongqing_run():
    sc = portsim.Scenario.load(CHONGQING, set=SHORT_CHONGQING)
    return sc.run(replications=2, seed=3, jobs=2)


# --- the same numbers as the command line -------------------------------------------------


@pytest.mark.parametrize(
    "path, values, replications, seed",
    [(BUSINESS, SHORT_BUSINESS, 3, 7), (MMC, SHORT_MMC, 3, 2), (CHONGQING, SHORT_CHONGQING, 2, 3)]
    + [(f"scenarios/validation/{name}.toml", SHORT_MMC, 2, 1) for name in ["mm1", "md1", "mg1-lognormal"]],
)
def test_run_summary_is_the_command_lines_document(path, values, replications, seed):
    res = portsim.Scenario.load(path, set=values).run(replications=replications, seed=seed)
    expected = cli_json("run", path, *sets(values), "--seed", str(seed),
                        "--replications", str(replications))
    assert without_wall_time(res.summary) == without_wall_time(expected)


def test_the_policy_argument_is_the_command_lines_flag():
    sc = portsim.Scenario.load(CHONGQING, set=SHORT_CHONGQING, policy="business-hours")
    assert sc.policy == "business-hours"
    res = sc.run(replications=2, seed=1)
    expected = cli_json("run", CHONGQING, *sets(SHORT_CHONGQING), "--policy", "business-hours",
                        "--seed", "1", "--replications", "2")
    assert without_wall_time(res.summary) == without_wall_time(expected)


def test_results_do_not_depend_on_the_thread_count():
    sc = portsim.Scenario.load(MMC, set=SHORT_MMC)
    one = sc.run(replications=4, seed=5, jobs=1).summary
    two = sc.run(replications=4, seed=5, jobs=2).summary
    assert without_wall_time(one) == without_wall_time(two)


def test_compare_summary_is_the_command_lines_document():
    sc = portsim.Scenario.load(CHONGQING, set=SHORT_CHONGQING)
    cmp = portsim.compare(sc, policies=("business-hours", "7x24"), replications=2, seed=1)
    expected = cli_json("compare", CHONGQING, "--policies", "business-hours,7x24",
                        *sets(SHORT_CHONGQING), "--seed", "1", "--replications", "2")
    assert without_wall_time(cmp.summary) == without_wall_time(expected)
    assert cmp.summary["overall"]["difference"]["mean"] < 0


def test_compare_of_two_scenarios_is_set_a_and_set_b():
    a = portsim.Scenario.load(MMC, set=SHORT_MMC)
    b = portsim.Scenario.load(MMC, set={**SHORT_MMC, "pools.servers.staff": 4})
    cmp = portsim.compare(a, b, replications=3, seed=1)
    side_a = [f for f in sets(SHORT_MMC) if f != "--set"]
    side_b = side_a + ["pools.servers.staff=4"]
    own = [x for v in side_a for x in ("--set-a", v)] + [x for v in side_b for x in ("--set-b", v)]
    expected = cli_json("compare", MMC, *own, "--seed", "1", "--replications", "3")
    assert cmp.summary == expected
    assert cmp.summary["b"]["overrides"] == side_b
    assert cmp.a.summary["pools"]["servers"]["staff_hours"] < cmp.b.summary["pools"]["servers"]["staff_hours"]
    # Each side is the run of its scenario, with its tables.
    alone = b.run(replications=3, seed=1)
    assert without_wall_time(cmp.b.summary) == without_wall_time(alone.summary)
    assert cmp.b.replications().equals(alone.replications())
    assert cmp.a.pools()["staff_hours"].iloc[0] == 3 * 24 * 35


def test_sweep_summary_and_results(tmp_path):
    mmc = (Path.cwd() / MMC).as_posix()
    file = tmp_path / "staffing.toml"
    file.write_text(
        f'scenario = "{mmc}"\nreplications = 2\nseed = 1\n'
        '[[axes]]\nset = "pools.servers.staff"\nvalues = [3, 4]\n'
    )
    sw = portsim.sweep(file, set=SHORT_MMC, jobs=2)
    expected = cli_json("sweep", str(file), *sets(SHORT_MMC), "--quiet")
    assert sw.summary == expected
    table = sw.results()
    assert list(table["pools.servers.staff"]) == [3, 4]
    assert "clearance_mean_h" in table.columns and "clearance_mean_ci_low_h" in table.columns
    assert table["clearance_mean_h"][0] > table["clearance_mean_h"][1]


def test_staff_answer_and_summary():
    sc = portsim.Scenario.load(MMC, set=SHORT_MMC)
    st = portsim.staff(sc, vary=["pools.servers.staff"], targets=["mean<=2h"], max=8,
                       replications=2, seed=1)
    expected = cli_json("staff", MMC, *sets(SHORT_MMC), "--vary", "pools.servers.staff",
                        "--target", "mean<=2h", "--max", "8", "--seed", "1",
                        "--replications", "2")
    assert st.summary == expected
    assert st.answer == 4
    unreachable = portsim.staff(sc, vary="pools.servers.staff", targets="mean<=1min", max=4,
                                replications=2, seed=1)
    assert unreachable.answer is None


PEAK = """
name = "afternoon peak"
start = "2024-01-01"
horizon_days = 26
warmup_days = 5
replications = 2
seed = 5

[[peaks]]
name = "rush"
from = "2024-01-10"
to = "2024-01-16"
arrival_factor = 1.5

[[pools]]
name = "officers"
roster = "own"
rosters.own = [{ days = "Mon-Sun", start = "00:00", end = "24:00", staff = 12 }]

[[modes]]
name = "shipments"
arrivals = { kind = "poisson", rate_per_hour = 8.0, hourly_profile = [0.4, 0.4, 0.4, 0.4, 0.5, 0.6, 0.8, 1.0, 1.2, 1.4, 1.5, 1.6, 1.6, 1.6, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0, 0.8, 0.6, 0.5, 0.5] }
stages = [{ name = "serve", pool = "officers", time = { dist = "exponential", mean = "45m" } }]
"""


def test_roster_is_the_command_lines(tmp_path):
    file = tmp_path / "peak.toml"
    file.write_text(PEAK)
    sc = portsim.Scenario.load(str(file))
    r = portsim.roster(sc, "officers", shift_lengths=(8, 12), starts_every=2)
    expected = cli_json("roster", str(file), "--pool", "officers", "--shift-lengths",
                        "8h,12h", "--shift-starts-every", "2h")
    assert r.summary == expected
    assert r.summary["schema"] == "portsim.roster/1"
    assert "[[regimes]]" in r.toml
    table = r.requirement()
    assert len(table) == 24 * len(r.summary["day_types"])
    assert (table["on_duty"] >= table["requirement"]).all()
    with pytest.raises(portsim.ScenarioError, match="no such pool"):
        portsim.roster(sc, "clerks")
    with pytest.raises(portsim.ScenarioError, match="day_types"):
        portsim.roster(sc, "officers", day_types="weekly")


def test_version_is_the_crates():
    res = portsim.Scenario.load(MMC, set=SHORT_MMC).run(replications=1)
    assert portsim.__version__ == res.summary["portsim_version"]
    assert portsim.__version__ == importlib.metadata.version("portsim")


# --- scenarios from text ------------------------------------------------------------------


def test_a_scenario_from_text_runs_as_its_file():
    text = Path(MMC).read_text()
    from_text = portsim.Scenario.from_toml(text, name="variant", set=SHORT_MMC)
    from_file = portsim.Scenario.load(MMC, set=SHORT_MMC)
    assert from_text.file == "variant" and from_text.name == "M/M/3"
    assert from_text.pools == ["servers"] and from_text.modes == ["customers"]
    assert from_text.resolved_toml == from_file.resolved_toml
    a = from_text.run(replications=2, seed=4).summary
    b = from_file.run(replications=2, seed=4).summary
    assert without_wall_time(a) == without_wall_time(b)


# --- tables -------------------------------------------------------------------------------


def test_replications_table(chongqing_run):
    table = chongqing_run.replications()
    modes = list(chongqing_run.summary["modes"])
    assert len(table) == 2 * (1 + len(modes))
    for column in ["replication", "mode", "headline", "events", "released", "clearance_mean_h",
                   "clearance_p90_h", "wait_mean_h", "waited_share"]:
        assert column in table.columns
    overall = table[table["mode"] == "overall"]
    summary = chongqing_run.summary["overall"]
    assert overall["released"].sum() == summary["released"]
    # The summary's mean is the mean of the replications' means.
    assert overall["clearance_mean_h"].mean() == pytest.approx(summary["clearance_hours"]["mean"])
    assert set(table["mode"]) == {"overall", *modes}


def test_pools_table(chongqing_run):
    table = chongqing_run.pools()
    pools = chongqing_run.summary["pools"]
    assert len(table) == 2 * len(pools)
    for name, pool in pools.items():
        rows = table[table["pool"] == name]
        assert rows["staff_hours"].mean() == pytest.approx(pool["staff_hours"])
        assert rows["utilization"].mean() == pytest.approx(pool["utilization"])
    for column in ["overtime_hours", "mean_queue", "offered_load", "on_call_hours"]:
        assert column in table.columns


def test_clearance_ecdf(chongqing_run):
    ecdf = chongqing_run.clearance_ecdf()
    assert list(ecdf.columns) == ["hours", "share"]
    assert ecdf["hours"].is_monotonic_increasing and ecdf["share"].is_monotonic_increasing
    assert ecdf["share"].iloc[-1] == 1.0
    assert ecdf["hours"].iloc[-1] == chongqing_run.summary["overall"]["clearance_hours"]["max"]
    rail = chongqing_run.clearance_ecdf(mode="rail")
    assert rail["hours"].iloc[-1] == chongqing_run.summary["modes"]["rail"]["clearance_hours"]["max"]
    with pytest.raises(portsim.ScenarioError, match="no mode 'tram'"):
        chongqing_run.clearance_ecdf(mode="tram")


def test_series(chongqing_run):
    series = chongqing_run.series()
    assert list(series.columns) == ["series", "kind", "name", "bin", "date", "measure", "value"]
    week = series[(series["series"] == "hour_of_week") & (series["name"] == "overall")
                  & (series["measure"] == "in_system")]
    assert len(week) == 168
    daily = series[(series["series"] == "daily") & (series["name"] == "review")
                   & (series["measure"] == "staff_on_duty")]
    assert len(daily) == chongqing_run.summary["calendar"]["days"]
    assert str(daily["date"].iloc[0].date()) == chongqing_run.summary["calendar"]["start"]
    assert {"clearance_mean_h", "released", "queue"} <= set(series["measure"])


def test_differences_table():
    sc = portsim.Scenario.load(CHONGQING, set=SHORT_CHONGQING)
    cmp = portsim.compare(sc, policies=("business-hours", "7x24"), replications=2, seed=1)
    table = cmp.differences()
    row = table[(table["figure"] == "clearance_mean_h") & (table["mode"] == "overall")].iloc[0]
    d = cmp.summary["overall"]["difference"]
    assert row["difference"] == d["mean"]
    assert [row["ci_low"], row["ci_high"]] == d["ci95"]
    assert row["b"] - row["a"] == pytest.approx(row["difference"])
    assert {"overall", "mode", "class", "pool", "all pools"} == set(table["group"])
    assert set(table["figure"]) == {"clearance_mean_h", "clearance_p90_h", "staff_hours"}


# --- errors: the command line's located messages ----------------------------------------


def cli_error(*args: str) -> str:
    done = cli(*args, check=False)
    assert done.returncode == 2, done.stderr
    return done.stderr.strip().removeprefix("error: ")


def test_a_missing_file():
    with pytest.raises(portsim.ScenarioError) as e:
        portsim.Scenario.load("scenarios/nope.toml")
    assert str(e.value) == cli_error("validate", "scenarios/nope.toml")
    assert e.value.path == "scenarios/nope.toml" and e.value.kind == "bad_input"


def test_a_bad_value_in_a_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(Path(MMC).read_text().replace("rate_per_hour = 2.7", "rate_per_hour = -2.7"))
    with pytest.raises(portsim.ScenarioError) as e:
        portsim.Scenario.load(bad)
    assert str(e.value) == cli_error("run", str(bad))
    assert e.value.path == str(bad)
    assert e.value.line == 16
    assert e.value.key == "modes.customers.arrivals.rate_per_hour"
    assert e.value.flag is None


def test_a_bad_set_key():
    with pytest.raises(portsim.ScenarioError) as e:
        portsim.Scenario.load(MMC, set={"modes.customers.arrivals.ratee": 4.5})
    assert str(e.value) == cli_error("run", MMC, "--set", "modes.customers.arrivals.ratee=4.5")
    assert e.value.path == MMC
    assert e.value.key == "modes.customers.arrivals.ratee"
    assert e.value.flag == "--set modes.customers.arrivals.ratee"
    assert e.value.line is None


def test_a_bad_policy():
    with pytest.raises(portsim.ScenarioError) as e:
        portsim.Scenario.load(CHONGQING, policy="24x7")
    assert str(e.value) == cli_error("run", CHONGQING, "--policy", "24x7")
    assert e.value.path == CHONGQING and e.value.flag == "--policy" and e.value.key == "policy"
    sc = portsim.Scenario.load(CHONGQING, set=SHORT_CHONGQING)
    with pytest.raises(portsim.ScenarioError) as e:
        portsim.compare(sc, policies=("business-hours", "24x7"), replications=1)
    assert str(e.value) == cli_error("compare", CHONGQING, "--policies", "business-hours,24x7",
                                     *sets(SHORT_CHONGQING), "--replications", "1")


def test_bad_text_is_located_by_its_name():
    with pytest.raises(portsim.ScenarioError) as e:
        portsim.Scenario.from_toml('name = "x"\nhorizon_days = "soon"\n', name="notebook")
    assert e.value.path == "notebook" and e.value.line == 2
    assert str(e.value).startswith("notebook:2: ")


def test_bad_arguments():
    sc = portsim.Scenario.load(MMC, set=SHORT_MMC)
    with pytest.raises(portsim.ScenarioError, match="two policies"):
        portsim.compare(sc, policies="7x24")
    with pytest.raises(portsim.ScenarioError, match="--replications"):
        sc.run(replications=0)
    with pytest.raises(portsim.ScenarioError, match="target"):
        portsim.staff(sc, vary="pools.servers.staff", targets="p90 is small", max=5)
    with pytest.raises(TypeError):
        portsim.Scenario.load(MMC, set={"pools.servers.staff": object()})
    assert issubclass(portsim.ScenarioError, portsim.PortsimError)


def test_warnings_are_python_warnings():
    sc = portsim.Scenario.load(MMC, set={**SHORT_MMC, "pools.servers.staff": 2})
    with pytest.warns(portsim.PortsimWarning, match="overloaded"):
        res = sc.run(replications=1)
    assert res.summary["unstable"] is True


# --- progress, the GIL and Ctrl-C ---------------------------------------------------------


def test_progress_callback_and_tqdm_like_bars():
    seen = []
    sc = portsim.Scenario.load(MMC, set=SHORT_MMC)
    sc.run(replications=5, seed=1, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    class Bar:
        total = 0
        n = 0

        def update(self, k):
            self.n += k

    bar = Bar()
    b = portsim.Scenario.load(MMC, set={**SHORT_MMC, "pools.servers.staff": 4})
    portsim.compare(sc, b, replications=3, progress=bar)
    # Both sides count on one bar: 3 replications each.
    assert (bar.n, bar.total) == (6, 6)


def test_an_exception_in_the_progress_callback_stops_the_run():
    def fail(done, total):
        if done > 0:
            raise ValueError("enough")

    with pytest.raises(ValueError, match="enough"):
        portsim.Scenario.load(MMC, set=SHORT_MMC).run(replications=4, progress=fail)


def test_the_gil_is_released_while_simulating():
    sc = portsim.Scenario.load(CHONGQING, set={"horizon_days": 120})
    ticks = []
    running = threading.Event()
    done = threading.Event()

    def count():
        running.set()
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    counter = threading.Thread(target=count)
    counter.start()
    running.wait()
    started = time.perf_counter()
    sc.run(replications=2, jobs=1)
    ended = time.perf_counter()
    done.set()
    counter.join()
    during = [t for t in ticks if started < t < ended]
    assert ended - started > 0.2, "the run should take long enough to tell"
    # With the GIL held the other thread could not tick at all while the run went on;
    # released, it ticks about every millisecond (at least 100 a second, on a busy machine).
    assert len(during) > 100 * (ended - started)


def send_sigint():
    os.kill(os.getpid(), signal.SIGINT)


@pytest.fixture
def ctrl_c_raises():
    """Python's own Ctrl-C handler, whatever the test process inherited: a shell starts
    background jobs with SIGINT ignored, and Python then installs no handler (so neither
    a real SIGINT nor `interrupt_main` would reach it, as in a notebook they do)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("interrupt", [_thread.interrupt_main, send_sigint])
def test_ctrl_c_interrupts_a_run_promptly(interrupt, ctrl_c_raises):
    sc = portsim.Scenario.load(CHONGQING)
    threading.Timer(0.5, interrupt).start()
    started = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        sc.run(replications=40, jobs=2)
    assert time.perf_counter() - started < 2.0
    # The interpreter goes on: the next run works.
    res = portsim.Scenario.load(MMC, set=SHORT_MMC).run(replications=1)
    assert res.summary["replications"] == 1


# --- documentation and optional pandas ----------------------------------------------------


def test_help_says_what_run_takes():
    import pydoc

    text = pydoc.render_doc(portsim.Scenario.run)
    for word in ["replications", "seed", "jobs", "progress", "KeyboardInterrupt", "GIL"]:
        assert word in text


def test_the_tables_need_pandas_and_say_so(monkeypatch, chongqing_run):
    import sys

    assert chongqing_run.summary["schema"] == "portsim.summary/1"  # dicts need nothing
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        chongqing_run.replications()
