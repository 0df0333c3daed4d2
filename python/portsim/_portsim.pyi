"""Type stubs of the native half of portsim (``portsim._portsim``); use ``portsim``."""

from typing import Any, Callable, Optional, Tuple

__version__: str

class PortsimError(Exception):
    kind: str
    path: Optional[str]
    line: Optional[int]
    key: Optional[str]
    flag: Optional[str]

class ScenarioError(PortsimError): ...
class PortsimWarning(UserWarning): ...

_Progress = Optional[Callable[[int, int], Any]]

class NativeScenario:
    @staticmethod
    def from_file(path: str, set: list[str], policy: Optional[str] = None) -> NativeScenario: ...
    @staticmethod
    def from_text(
        text: str, name: str, set: list[str], policy: Optional[str] = None
    ) -> NativeScenario: ...
    def info_json(self) -> str: ...
    def run(
        self,
        replications: Optional[int] = None,
        seed: Optional[int] = None,
        jobs: Optional[int] = None,
        progress: _Progress = None,
    ) -> NativeRun: ...
    def compare(
        self,
        policies: Optional[Tuple[str, str]] = None,
        other: Optional[NativeScenario] = None,
        replications: Optional[int] = None,
        seed: Optional[int] = None,
        jobs: Optional[int] = None,
        progress: _Progress = None,
    ) -> NativeCompare: ...
    def staff(
        self,
        vary: list[str],
        targets: list[str],
        max: int,
        min: int = 1,
        replications: Optional[int] = None,
        seed: Optional[int] = None,
        jobs: Optional[int] = None,
        progress: _Progress = None,
    ) -> NativeStaff: ...
    def roster(
        self,
        pools: list[str],
        window: Optional[str] = None,
        day_types: str = "peak-workday",
        targets: list[str] = ...,
        delay_probability: float = 0.2,
        shift_lengths: list[int] = ...,
        starts_every: int = 1,
        max_per_shift: Optional[int] = None,
        max_iterations: int = 20,
        replications: Optional[int] = None,
        seed: Optional[int] = None,
        jobs: Optional[int] = None,
        progress: _Progress = None,
    ) -> NativeRoster: ...

class NativeRun:
    def summary_json(self) -> str: ...
    def replications_json(self) -> str: ...
    def pools_json(self) -> str: ...
    def resolved_toml(self) -> str: ...

class NativeCompare:
    def summary_json(self) -> str: ...
    def side_summary_json(self, k: int) -> str: ...
    def side_replications_json(self, k: int) -> str: ...
    def side_pools_json(self, k: int) -> str: ...

class NativeStaff:
    @property
    def answer(self) -> Optional[int]: ...
    def summary_json(self) -> str: ...

class NativeSweep:
    def summary_json(self) -> str: ...
    def results_csv(self) -> str: ...

def sweep(
    path: str,
    set: list[str],
    replications: Optional[int] = None,
    seed: Optional[int] = None,
    jobs: Optional[int] = None,
    progress: _Progress = None,
) -> NativeSweep: ...

class NativeRoster:
    def summary_json(self) -> str: ...
    def toml(self) -> str: ...
    def requirement_csv(self) -> str: ...
