"""Air-quality records: stations, their hourly data, import batches, cached evaluations."""

from .observations import CHECKS, FLAG_FIELDS, VALUE_FIELDS, ImportBatch, Observation
from .patrols import Patrol
from .stations import CityDataQuerySet, Evaluation, Station, StationKind
from .targets import AirTarget

__all__ = [
    "AirTarget",
    "CHECKS",
    "CityDataQuerySet",
    "Evaluation",
    "FLAG_FIELDS",
    "ImportBatch",
    "Observation",
    "Patrol",
    "Station",
    "StationKind",
    "VALUE_FIELDS",
]
