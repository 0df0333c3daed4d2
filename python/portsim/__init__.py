"""portsim: a discrete-event simulator of customs clearance, from Python.

The same simulator as the ``portsim`` command line, with the same numbers: a run's
``summary`` is exactly the ``portsim run --json`` document for the same scenario, seed
and replications (apart from ``wall_seconds``), and so for ``compare``, ``sweep`` and
``staff``.

    >>> import portsim
    >>> sc = portsim.Scenario.load("scenarios/chongqing-2017.toml",
    ...                            set={"horizon_days": 60})
    >>> res = sc.run(replications=4, seed=1)
    >>> res.summary["overall"]["clearance_hours"]["mean"]      # doctest: +SKIP
    >>> res.replications()      # a pandas DataFrame, one row per replication x mode

Simulating releases the GIL; Ctrl-C stops a run (``KeyboardInterrupt``). Bad input
raises :class:`ScenarioError` with the command line's located message; other failures
:class:`PortsimError`. The DataFrame methods need pandas; the dict documents need
nothing.
"""

from __future__ import annotations

import io
import json
import math
import os
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

from . import _portsim
from ._portsim import PortsimError, PortsimWarning, ScenarioError

__version__: str = _portsim.__version__

__all__ = [
    "Scenario",
    "RunResult",
    "Comparison",
    "SweepResult",
    "StaffResult",
    "RosterResult",
    "compare",
    "sweep",
    "staff",
    "roster",
    "PortsimError",
    "ScenarioError",
    "PortsimWarning",
    "__version__",
]

PathLike = Union[str, "os.PathLike[str]"]
#: A progress callback ``f(done, total)`` (jobs done of jobs planned; the total may
#: grow), or a tqdm-like object with ``update(n)`` and a writable ``total``.
Progress = Union[Callable[[int, int], Any], Any, None]
SetValues = Union[Mapping[str, Any], Iterable[str], None]


def _pandas():
    try:
        import pandas
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "portsim's DataFrame methods need pandas: pip install pandas "
            "(the .summary dicts need nothing)"
        ) from e
    return pandas


def _bad_input(message: str) -> ScenarioError:
    """A :class:`ScenarioError` raised by this module, with the attributes every one has."""
    e = ScenarioError(message)
    e.kind, e.path, e.line, e.key, e.flag = "bad_input", None, None, None, None
    return e


def _toml_value(value: Any) -> str:
    """A Python value as a TOML value, the VALUE of a ``--set PATH=VALUE``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot give {type(value).__name__} {value!r} as a scenario value")


def _overrides(set: SetValues) -> list[str]:
    """``set`` as ``PATH=VALUE`` strings, in order."""
    if set is None:
        return []
    if isinstance(set, str):
        return [set]
    if isinstance(set, Mapping):
        return [f"{path}={_toml_value(value)}" for path, value in set.items()]
    return [str(s) for s in set]


def _progress(progress: Progress) -> Optional[Callable[[int, int], Any]]:
    """A ``(done, total)`` callable for a callable or a tqdm-like bar."""
    if progress is None:
        return None
    update = getattr(progress, "update", None)
    if callable(update) and hasattr(progress, "total"):
        last = [0]

        def tick(done: int, total: int) -> None:
            if progress.total != total:
                progress.total = total
                refresh = getattr(progress, "refresh", None)
                if callable(refresh):
                    refresh()
            if done > last[0]:
                update(done - last[0])
                last[0] = done

        return tick
    if callable(progress):
        return progress
    raise TypeError("progress must be a callable f(done, total) or a tqdm-like bar")


class Scenario:
    """A scenario, loaded and checked, with the overrides it was given.

    Load one with :meth:`Scenario.load` (a file) or :meth:`Scenario.from_toml` (text).
    Overrides are the command line's ``--set PATH=VALUE``: ``set={"pools.review.staff":
    30}`` or ``set=["pools.review.staff=30"]``; ``policy`` is ``--policy``.
    """

    def __init__(self, native: _portsim.NativeScenario) -> None:
        self._native = native
        self._info = json.loads(native.info_json())

    @classmethod
    def load(cls, path: PathLike, set: SetValues = None, policy: Optional[str] = None) -> Scenario:
        """Load the scenario file at ``path``.

        ``set``: values overriding the file's, a dict ``{PATH: VALUE}`` or a list of
        ``"PATH=VALUE"`` strings (paths as the command line's ``--set``: dotted keys, an
        element of an array of tables by its ``name``). ``policy``: the policy whose
        rosters to use. Raises :class:`ScenarioError` (with ``path``, ``line``, ``key``)
        when the file or a value is wrong.
        """
        return cls(_portsim.NativeScenario.from_file(os.fspath(path), _overrides(set), policy))

    @classmethod
    def from_toml(
        cls,
        text: str,
        name: str = "<string>",
        set: SetValues = None,
        policy: Optional[str] = None,
    ) -> Scenario:
        """Load a scenario from TOML text; ``name`` stands for the file in messages.

        Relative paths in the text (arrival logs) are taken from the working directory.
        """
        return cls(_portsim.NativeScenario.from_text(text, name, _overrides(set), policy))

    @property
    def name(self) -> str:
        """The scenario's ``name``."""
        return self._info["name"]

    @property
    def file(self) -> str:
        """The file as given (or the text's name)."""
        return self._info["file"]

    @property
    def policy(self) -> Optional[str]:
        """The policy whose rosters run (``None`` when no pool has rosters)."""
        return self._info["policy"]

    @property
    def seed(self) -> int:
        """The master seed."""
        return self._info["seed"]

    @property
    def replications(self) -> int:
        """Replications per run, unless a run says otherwise."""
        return self._info["replications"]

    @property
    def modes(self) -> list[str]:
        """The modes' names, in order."""
        return list(self._info["modes"])

    @property
    def pools(self) -> list[str]:
        """The staff pools' names, in order."""
        return list(self._info["pools"])

    @property
    def resolved_toml(self) -> str:
        """The scenario as resolved after the overrides (``run --out``'s ``scenario.toml``)."""
        return self._info["resolved_toml"]

    def __repr__(self) -> str:
        return f"<portsim.Scenario {self.name!r} from {self.file!r}, policy {self.policy!r}>"

    def run(
        self,
        replications: Optional[int] = None,
        seed: Optional[int] = None,
        jobs: Optional[int] = None,
        progress: Progress = None,
    ) -> RunResult:
        """Simulate the scenario, as ``portsim run`` does.

        Parameters
        ----------
        replications:
            Replications to run (default: the scenario's ``replications``).
        seed:
            Master seed (default: the scenario's ``seed``). The same seed gives the same
            numbers whatever ``jobs``.
        jobs:
            Worker threads (default: one per core).
        progress:
            Called as ``progress(done, total)`` after each replication, or a tqdm-like
            bar (``tqdm.tqdm(total=0)``) moved along.

        Returns
        -------
        RunResult
            ``.summary`` (the ``portsim run --json`` document as a dict),
            ``.replications()``, ``.pools()``, ``.clearance_ecdf()``, ``.series()``.

        The GIL is released while simulating, so other Python threads run. Ctrl-C (or
        any ``KeyboardInterrupt``) stops it: no new replication starts and
        ``KeyboardInterrupt`` is raised at once. Warnings (an overloaded pool) are
        raised as :class:`PortsimWarning`.
        """
        native = self._native.run(replications, seed, jobs, _progress(progress))
        return RunResult(native.summary_json(), native.replications_json, native.pools_json)


class RunResult:
    """One scenario's run (or one side of a comparison): the summary document and
    tables of it."""

    def __init__(self, summary_json: str, replications_json: Callable[[], str],
                 pools_json: Callable[[], str]) -> None:
        self._replications_json = replications_json
        self._pools_json = pools_json
        self.summary: dict = json.loads(summary_json)
        """The ``portsim.summary/1`` document: exactly what ``portsim run --json`` prints."""

    def __repr__(self) -> str:
        s = self.summary
        c = s["overall"]["clearance_hours"]
        return (
            f"<portsim.RunResult {s['scenario']!r} policy {s['policy']!r}: "
            f"{s['replications']} replications, mean clearance {c['mean']:.2f} h>"
        )

    def replications(self):
        """A DataFrame with one row per replication x mode.

        Rows for ``mode == "overall"`` (the headline modes together, ``headline`` NA) come
        first in each replication, then each mode's. Columns: ``replication``, ``mode``,
        ``headline``, ``events``, ``arrivals``, ``released``, ``unreleased``,
        ``clearance_mean_h``, ``clearance_p50_h``, ``clearance_p90_h``,
        ``clearance_p95_h``, ``clearance_p99_h``, ``clearance_max_h``, ``wait_mean_h``,
        ``waited_share`` (hours where the name ends in ``_h``; shares 0 to 1).
        """
        return _pandas().DataFrame(json.loads(self._replications_json()))

    def pools(self):
        """A DataFrame with one row per replication x pool.

        Columns: ``replication``, ``pool``, ``utilization`` (0 to 1), ``staff_hours`` and
        ``overtime_hours`` (officer-hours), ``mean_queue`` (shipments),
        ``offered_load``, ``offered_load_general``, ``offered_load_all`` (work over
        capacity: 1 saturates), ``on_call_hours`` (officer-hours).
        """
        return _pandas().DataFrame(json.loads(self._pools_json()))

    def _flow(self, mode: Optional[str]) -> dict:
        if mode is None or mode == "overall":
            return self.summary["overall"]
        try:
            return self.summary["modes"][mode]
        except KeyError:
            known = ", ".join(self.summary["modes"])
            raise _bad_input(f"no mode {mode!r} in this run (modes: {known})") from None

    def clearance_ecdf(self, mode: Optional[str] = None):
        """The clearance-time distribution as a DataFrame for plotting an ECDF.

        ``mode``: a mode's name, or ``None`` for the headline modes together. Columns:
        ``hours`` (clearance time, hours) and ``share`` (the share of counted shipments
        cleared within it, 0 to 1): the pooled quantiles at every half percent, and the
        longest clearance at share 1.
        """
        flow = self._flow(mode)
        points = [(hours, share) for share, hours in flow["distribution"]["quantiles"]]
        longest = flow["clearance_hours"]["max"]
        if longest is not None:
            points.append((longest, 1.0))
        return _pandas().DataFrame(points, columns=["hours", "share"])

    def series(self):
        """The time series of the run, tidy, as a DataFrame.

        One row per (series, mode or pool, bin): columns ``series`` (``daily`` or
        ``hour_of_week``), ``kind`` (``flow`` or ``pool``), ``name`` (``overall``, a
        mode's or a pool's), ``bin`` (day of the window from 0, or hour of the week from
        Monday 00:00), ``date`` (the bin's first day, daily series), ``measure`` and
        ``value``. Measures: flows' ``clearance_mean_h``, ``in_system`` (shipments),
        ``released`` (per bin), ``arrivals_per_hour``; pools' ``queue`` (shipments) and
        ``staff_on_duty`` (officers). Means over replications of each bin's time-average.
        """
        pd = _pandas()
        s = self.summary
        cal = s.get("calendar") or {}
        rows: list[tuple] = []
        start = pd.Timestamp(cal["start"]) if cal.get("start") else None
        per_bin = cal.get("days_per_bin", 1)
        names = {"clearance_mean": "clearance_mean_h"}

        def date(i: int):
            return None if start is None else start + pd.Timedelta(days=i * per_bin)

        def add(series: str, kind: str, name: str, block: dict) -> None:
            for measure, values in block.items():
                for i, v in enumerate(values):
                    when = date(i) if series == "daily" else None
                    rows.append((series, kind, name, i, when, names.get(measure, measure), v))

        flows = [("overall", s["overall"])] + list(s["modes"].items())
        for name, flow in flows:
            add("daily", "flow", name, flow["series"]["daily"])
            add("hour_of_week", "flow", name, flow["series"]["hour_of_week"])
        for name, pool in s["pools"].items():
            add("daily", "pool", name, pool["daily"])
            add("hour_of_week", "pool", name, pool["hour_of_week"])
        columns = ["series", "kind", "name", "bin", "date", "measure", "value"]
        return pd.DataFrame(rows, columns=columns)


class Comparison:
    """B against A, paired by replication (common random numbers)."""

    def __init__(self, native: _portsim.NativeCompare) -> None:
        self._native = native
        self.summary: dict = json.loads(native.summary_json())
        """The ``portsim.compare/1`` document: exactly what ``portsim compare --json`` prints."""

    def __repr__(self) -> str:
        d = self.summary["overall"]["difference"]
        return f"<portsim.Comparison B - A mean clearance {d['mean']:+.2f} h, 95% CI {d['ci95']}>"

    def _side(self, k: int) -> RunResult:
        n = self._native
        return RunResult(n.side_summary_json(k), lambda: n.side_replications_json(k),
                         lambda: n.side_pools_json(k))

    @property
    def a(self) -> RunResult:
        """Side A's run: its ``summary``, ``replications()``, ``clearance_ecdf()``, ..."""
        return self._side(0)

    @property
    def b(self) -> RunResult:
        """Side B's run, as :attr:`a`."""
        return self._side(1)

    def differences(self):
        """Every compared figure as a DataFrame, one row each.

        Columns: ``figure`` (``clearance_mean_h``, ``clearance_p90_h``,
        ``staff_hours``), ``group`` (``overall``, ``mode``, ``class``, ``pool``,
        ``all pools``), ``mode`` (the flow's or pool's name), ``a`` and ``b`` (each side's
        mean), ``difference`` (B - A) with ``ci_low`` and ``ci_high`` (95 %), and
        ``relative`` (B / A - 1) with ``relative_ci_low`` and ``relative_ci_high``.
        """
        s = self.summary
        rows: list[tuple] = []

        def add(figure: str, group: str, name: str, block: dict) -> None:
            d, r = block["difference"], block["relative"]
            d_ci = d.get("ci95") or [None, None]
            r_ci = r.get("ci95") or [None, None]
            rows.append((figure, group, name, block["a"]["mean"], block["b"]["mean"],
                         d["mean"], d_ci[0], d_ci[1], r["mean"], r_ci[0], r_ci[1]))

        def flow(group: str, name: str, block: dict) -> None:
            add("clearance_mean_h", group, name, block)
            if "p90" in block:
                add("clearance_p90_h", group, name, block["p90"])

        flow("overall", "overall", s["overall"])
        for name, block in s.get("modes", {}).items():
            flow("mode", name, block)
        for name, block in s.get("classes", {}).items():
            flow("class", name, block)
        staff = s.get("staff_hours")
        if staff:
            add("staff_hours", "all pools", "all pools", staff)
            for name, block in staff.get("pools", {}).items():
                add("staff_hours", "pool", name, block)
        columns = ["figure", "group", "mode", "a", "b", "difference", "ci_low", "ci_high",
                   "relative", "relative_ci_low", "relative_ci_high"]
        return _pandas().DataFrame(rows, columns=columns)


class SweepResult:
    """A sweep's variants and their results."""

    def __init__(self, native: _portsim.NativeSweep) -> None:
        self._native = native
        self.summary: dict = json.loads(native.summary_json())
        """The ``portsim.sweep/1`` document: exactly what ``portsim sweep --json`` prints."""

    def __repr__(self) -> str:
        return f"<portsim.SweepResult {len(self.summary.get('variants', []))} variants>"

    def results(self):
        """One row per variant: a column per axis (named by its path), then the sweep's
        ``results.csv`` figures, hours marked ``_h`` (``clearance_mean_h``,
        ``clearance_mean_ci_low_h``, ``mode.NAME.clearance_p90_h``, ...)."""
        pd = _pandas()
        frame = pd.read_csv(io.StringIO(self._native.results_csv()))
        return frame.rename(columns=_hours_columns(frame.columns))


_HOURS = ("clearance_mean", "clearance_mean_ci_low", "clearance_mean_ci_high",
          "clearance_p50", "clearance_p90", "clearance_p95", "clearance_p99",
          "clearance_max", "wait_mean")


def _hours_columns(columns: Iterable[str]) -> dict:
    """``results.csv`` names of figures in hours, with ``_h`` added."""
    out = {}
    for c in columns:
        last = c.rsplit(".", 1)[-1]
        if last in _HOURS:
            out[c] = c + "_h"
    return out


class StaffResult:
    """A staffing search: the answer and every candidate judged."""

    def __init__(self, native: _portsim.NativeStaff) -> None:
        self._native = native
        self.answer: Optional[int] = native.answer
        """The smallest value meeting every target, or ``None``."""
        self.summary: dict = json.loads(native.summary_json())
        """The ``portsim.staff/1`` document: exactly what ``portsim staff --json`` prints."""

    def __repr__(self) -> str:
        return f"<portsim.StaffResult answer {self.answer!r}>"


def compare(
    scenario: Scenario,
    other: Optional[Scenario] = None,
    *,
    policies: Optional[Sequence[str]] = None,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    jobs: Optional[int] = None,
    progress: Progress = None,
) -> Comparison:
    """Compare two policies of ``scenario`` (``policies=("business-hours", "7x24")``: B
    against A), or ``scenario`` (A) with ``other`` (B), as ``portsim compare`` does:
    paired by replication with common random numbers.

    With ``policies``, the scenario's own policy is replaced by each side's. With
    ``other``, each side keeps its own overrides (the command line's ``--set-a`` and
    ``--set-b``). Returns a :class:`Comparison`; ``.summary`` is exactly
    ``portsim compare --json``.
    """
    pair = None
    if policies is not None:
        if isinstance(policies, str) or len(policies) != 2:
            raise _bad_input(
                f"policies expects two policies, (A, B) (B is compared against A); got {policies!r}"
            )
        pair = (str(policies[0]), str(policies[1]))
    native_other = other._native if other is not None else None
    native = scenario._native.compare(pair, native_other, replications, seed, jobs,
                                      _progress(progress))
    return Comparison(native)


def sweep(
    path: PathLike,
    *,
    set: SetValues = None,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    jobs: Optional[int] = None,
    progress: Progress = None,
) -> SweepResult:
    """Run the sweep file at ``path``, as ``portsim sweep`` does (no files written).

    ``set``: overrides of every variant (not of a path the sweep varies). Returns a
    :class:`SweepResult`: ``.results()`` a DataFrame, one row per variant; ``.summary``
    exactly ``portsim sweep --json``.
    """
    native = _portsim.sweep(os.fspath(path), _overrides(set), replications, seed, jobs,
                            _progress(progress))
    return SweepResult(native)


def staff(
    scenario: Scenario,
    vary: Union[str, Sequence[str]],
    targets: Union[str, Sequence[str]],
    max: int,
    *,
    min: int = 1,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    jobs: Optional[int] = None,
    progress: Progress = None,
) -> StaffResult:
    """Find the smallest whole value of the ``vary`` paths (all given the same value)
    whose run meets every target (``"p90<=12h"``, ``"air-cargo.mean<8h"``), from
    ``min`` to ``max``, as ``portsim staff`` does.

    Returns a :class:`StaffResult`: ``.answer`` (``None`` when even ``max`` fails) and
    ``.summary``, exactly ``portsim staff --json``.
    """
    vary = [vary] if isinstance(vary, str) else list(vary)
    targets = [targets] if isinstance(targets, str) else list(targets)
    native = scenario._native.staff(vary, targets, max, min, replications, seed, jobs,
                                    _progress(progress))
    return StaffResult(native)


class RosterResult:
    """A designed roster: the document, the TOML to append and the hourly requirement."""

    def __init__(self, native: _portsim.NativeRoster) -> None:
        self._native = native
        self.summary: dict = json.loads(native.summary_json())
        """The ``portsim.roster/1`` document: exactly what ``portsim roster --json`` prints."""
        self.toml: str = native.toml()
        """The roster as dated regimes to append to the scenario file (``roster.toml``)."""

    def requirement(self):
        """The requirement hour by hour as a pandas DataFrame, one row per pool, day type
        and hour: offered load, MOL, requirement, designed and own officers on duty
        (``requirement.csv``)."""
        return _pandas().read_csv(io.StringIO(self._native.requirement_csv()))

    def __repr__(self) -> str:
        d = self.summary
        return (f"<portsim.RosterResult {d['window']['from']}..{d['window']['to']}, "
                f"delay probability {d['delay_probability']}>")


def roster(
    scenario: Scenario,
    pools: Union[str, Sequence[str]],
    *,
    window: Optional[str] = None,
    day_types: str = "peak-workday",
    targets: Union[str, Sequence[str]] = (),
    delay_probability: float = 0.2,
    shift_lengths: Sequence[int] = (8, 10, 12),
    starts_every: int = 1,
    max_per_shift: Optional[int] = None,
    max_iterations: int = 20,
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    jobs: Optional[int] = None,
    progress: Progress = None,
) -> RosterResult:
    """Design the cheapest roster of ``pools`` over ``window`` (``"2017-01-06..2017-01-26"``;
    default the counting window), per day type, keeping a per-hour
    ``delay_probability`` — or, with ``targets`` (``"p90<=24h"``), the largest delay
    probability whose roster meets them — as ``portsim roster`` does. Shift lengths and
    starts are whole hours.

    Returns a :class:`RosterResult`; ``.summary`` is exactly ``portsim roster --json``.
    """
    pools = [pools] if isinstance(pools, str) else list(pools)
    targets = [targets] if isinstance(targets, str) else list(targets)
    native = scenario._native.roster(
        pools, window, day_types, targets, delay_probability, list(shift_lengths),
        starts_every, max_per_shift, max_iterations, replications, seed, jobs,
        _progress(progress))
    return RosterResult(native)
