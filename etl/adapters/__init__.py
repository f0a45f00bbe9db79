"""Format adapters: each turns one kind of export into staged rows of the canonical tables."""
from etl.adapters import continuum, gradebook, roster, rubric, survey
from etl.adapters.common import LoadOptions, Staged

ADAPTERS = {
    "roster": roster.adapt,
    "continuum": continuum.adapt,
    "gradebook": gradebook.adapt,
    "survey": survey.adapt,
    "rubric": rubric.adapt,
}

__all__ = ["ADAPTERS", "LoadOptions", "Staged"]
