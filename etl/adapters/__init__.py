"""Format adapters: each turns one kind of export into staged rows of the canonical tables."""

from etl.adapters import continuum, gradebook, learning, roster, rubric, survey
from etl.adapters.common import LoadOptions, Staged
from etl.formats.intake import prepared

# Each kind's adapter behind etl/formats/intake.py: format detection and conversion before it, the
# copy that `etl undo` needs after it.
ADAPTERS = {
    "roster": roster.adapt,
    "continuum": continuum.adapt,
    "gradebook": gradebook.adapt,
    "survey": survey.adapt,
    "rubric": rubric.adapt,
    "learning": learning.adapt,
}
ADAPTERS = {kind: prepared(kind, adapt) for kind, adapt in ADAPTERS.items()}

__all__ = ["ADAPTERS", "LoadOptions", "Staged"]
