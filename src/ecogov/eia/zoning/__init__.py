"""三线一单 screening: control units from GeoJSON, an STRtree index, configurable refusal rules.

Pure Python (shapely 2, numpy); no Django. Typical use::

    loaded = load_units_file("units.geojson")        # UnitDataError lists every problem
    index = UnitIndex(loaded.units)                   # build once
    rules = load_rules_file(EXAMPLE_RULES)            # RuleDataError lists every problem
    screening = index.screen(Project(Point(113.3, 23.1), industry="C2611",
                                     flags={"total_emission_ok": True}))
    proposal = rules.propose(screening)               # proposal.refuse, proposal.hits
"""

from .codes import CodeError, normalise_industry, normalise_item
from .geometry import CHINA_BOUNDS, REPAIR_TOLERANCE, Repair, repair_polygonal, shoelace_area
from .rules import (
    CONDITION_KINDS,
    EXAMPLE_RULES,
    Condition,
    RefusalProposal,
    Rule,
    RuleDataError,
    RuleHit,
    RuleSet,
    UndeterminedRule,
    evaluate,
    load_rules,
    load_rules_file,
)
from .screening import AccessMatch, Contact, Project, ProjectInputError, Screening, UnitIndex
from .units import (
    UNIT_FLAGS,
    AccessEntry,
    AccessKind,
    ControlUnit,
    LoadedUnits,
    UnitClass,
    UnitDataError,
    ZoningError,
    load_units,
    load_units_file,
)

__all__ = [
    "CHINA_BOUNDS",
    "CONDITION_KINDS",
    "EXAMPLE_RULES",
    "REPAIR_TOLERANCE",
    "UNIT_FLAGS",
    "AccessEntry",
    "AccessKind",
    "AccessMatch",
    "CodeError",
    "Condition",
    "Contact",
    "ControlUnit",
    "LoadedUnits",
    "Project",
    "ProjectInputError",
    "RefusalProposal",
    "Repair",
    "Rule",
    "RuleDataError",
    "RuleHit",
    "RuleSet",
    "Screening",
    "UndeterminedRule",
    "UnitClass",
    "UnitDataError",
    "UnitIndex",
    "ZoningError",
    "evaluate",
    "load_rules",
    "load_rules_file",
    "load_units",
    "load_units_file",
    "normalise_industry",
    "normalise_item",
    "repair_polygonal",
    "shoelace_area",
]
