"""The district's configuration (config/district.yaml): calculation method, cut, privacy minimums, sign-in mode."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

CONFIG_PATH = Path(__file__).resolve().parents[1] / "config" / "district.yaml"

AUTH_MODES = ("sign_in", "local")
# The modes of professional learning an offering (python -m etl load learning) or a survey item can name;
# config/district.yaml `learning: {extra_modes: [...]}` adds a district's own.
LEARNING_MODES = ("plc", "coaching", "workshop", "peer_observation", "online_course")

METHODS = {
    "most_recent": "most recent",
    "most_recent_n": "mean of the most recent N",
    "highest": "highest",
    "mean": "mean",
    "mode": "mode",
    "decaying_average": "decaying average",
    "power_law": "power law",
}


@dataclass(frozen=True)
class DistrictConfig:
    calculation_method: str = "decaying_average"
    proficiency_cut: float = 3.0
    decaying_weight: float = 0.65
    most_recent_n: int = 3
    min_evidence: int = 3
    min_n: int = 10
    coding_max_n: int = 39
    survey_min_n: int = 5
    comment_min_n: int = 10
    auth_mode: str = "sign_in"  # sign_in | local (one person on their own computer; ui/auth.py)
    district_name: str = "The district"  # the board deck's cover
    record_participant_names: bool = False  # plc: store who took part by name, not only a count by role
    extra_learning_modes: tuple[str, ...] = ()  # learning: modes of professional learning beyond LEARNING_MODES

    @property
    def learning_modes(self) -> tuple[str, ...]:
        return LEARNING_MODES + tuple(m for m in self.extra_learning_modes if m not in LEARNING_MODES)

    def method_label(self, method: str | None = None) -> str:
        method = method or self.calculation_method
        label = METHODS[method]
        if method == "decaying_average":
            label += f" (weight {self.decaying_weight:g} on the newest)"
        if method == "most_recent_n":
            label = label.replace("N", str(self.most_recent_n))
        return f"{label}; proficient at {self.proficiency_cut:g} or above"


@lru_cache(maxsize=4)
def _read(path: str) -> DistrictConfig:
    content = yaml.safe_load(Path(path).read_text()) or {}
    privacy = content.pop("privacy", {}) or {}
    auth = content.pop("auth", {}) or {}
    if not isinstance(auth, dict) or set(auth) - {"mode"}:
        raise ValueError(f"{path}: auth takes only `mode` (sign_in or local)")
    plc = content.pop("plc", {}) or {}
    learning = content.pop("learning", {}) or {}
    if not isinstance(plc, dict) or set(plc) - {"record_participant_names"}:
        raise ValueError(f"{path}: plc takes only `record_participant_names` (true or false)")
    if not isinstance(learning, dict) or set(learning) - {"extra_modes"}:
        raise ValueError(f"{path}: learning takes only `extra_modes` (a list of mode names)")
    extra_modes = tuple(normalize_mode(m) for m in (learning.get("extra_modes") or []))
    config = DistrictConfig(
        **{**content, **privacy},
        auth_mode=str(auth.get("mode", "sign_in")),
        record_participant_names=bool(plc.get("record_participant_names", False)),
        extra_learning_modes=extra_modes,
    )
    if config.calculation_method not in METHODS:
        raise ValueError(f"{path}: calculation_method must be one of {', '.join(METHODS)}")
    if config.auth_mode not in AUTH_MODES:
        raise ValueError(f"{path}: auth mode must be one of {', '.join(AUTH_MODES)}")
    if not 0 < config.decaying_weight < 1:
        raise ValueError(f"{path}: decaying_weight must be between 0 and 1")
    return config


def normalize_mode(text) -> str:
    """`Peer observation`, `peer-observation` and `PEER_OBSERVATION` are one mode: peer_observation."""
    return "_".join(str(text).strip().lower().replace("-", " ").split())


def district_config() -> DistrictConfig:
    return _read(os.environ.get("DASHBOARD_CONFIG", str(CONFIG_PATH)))
