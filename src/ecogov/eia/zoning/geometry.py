"""Geometry checks shared by control units and project locations.

Coordinates are WGS-84 (or CGCS2000, equal to it at this scale) longitude/latitude, as GeoJSON
(RFC 7946) requires. Two checks live here: the coordinate range, and the repair of invalid
polygons with a criterion for when the repair is safe (see ``repair_polygonal``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely import Geometry

# lon_min, lat_min, lon_max, lat_max. China's extremes are about 73°29'E (Pamirs), 135°05'E
# (Heilongjiang–Ussuri confluence), 53°33'N (Mohe) and 3°52'N (Zengmu Ansha), rounded outward.
CHINA_BOUNDS: tuple[float, float, float, float] = (73.0, 3.5, 135.5, 54.0)

# A unit smaller than this (square degrees, about 1 m²) is a collapsed drawing, not a zone.
MIN_AREA = 1e-10

# Largest accepted relative change of area between the drawn polygon and its repair: 0.1 %.
REPAIR_TOLERANCE = 1e-3

_POLYGONAL = ("Polygon", "MultiPolygon")

# GEOS validity reasons (shapely.is_valid_reason) in Chinese, for the user.
_REASONS = {
    "Self-intersection": "边界自相交",
    "Ring Self-intersection": "环自相交",
    "Too few points": "顶点过少",
    "Hole lies outside shell": "内环位于外环之外",
    "Nested holes": "内环相互嵌套",
    "Interior is disconnected": "内部被分割为不连通的部分",
    "Nested shells": "多个外环相互嵌套",
    "Duplicate Rings": "存在重复的环",
    "Invalid Coordinate": "坐标无效",
    "Ring is not closed": "环未闭合",
}


def describe_invalid(geom: Geometry) -> str:
    """The GEOS reason a geometry is invalid, in Chinese, with the location GEOS reports."""
    reason = shapely.is_valid_reason(geom) or ""
    name, _, where = reason.partition("[")
    text = _REASONS.get(name.strip(), name.strip() or "几何无效")
    if where:
        coords = where.rstrip("]").split()
        text += "（位置 " + ", ".join(f"{float(c):.6f}" for c in coords[:2]) + "）"
    return text


def ring_signed_area(coords: np.ndarray) -> float:
    """Shoelace signed area of a closed ring (first point repeated last); CCW is positive."""
    # Shift to the first vertex so that products of large lon/lat values do not cancel.
    x = coords[:, 0] - coords[0, 0]
    y = coords[:, 1] - coords[0, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def shoelace_area(geom: Geometry) -> float:
    """Area the drawing means, read ring by ring: |shell| minus |holes|, summed over parts.

    Absolute values make it independent of ring orientation (RFC 7946 asks for CCW shells but
    tells readers not to reject the other). For a self-intersecting ring the signed sum counts
    each region by its winding number, so a bowtie's two lobes cancel; that is what makes the
    comparison in ``repair_polygonal`` catch unsafe repairs.
    """
    total = 0.0
    for poly in shapely.get_parts(geom):
        total += abs(ring_signed_area(shapely.get_coordinates(poly.exterior)))
        for hole in poly.interiors:
            total -= abs(ring_signed_area(shapely.get_coordinates(hole)))
    return total


def polygonal_part(geom: Geometry) -> Geometry | None:
    """The Polygon/MultiPolygon content of a geometry (drops collapsed lines and points)."""
    polys = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    if not polys:
        return None
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


@dataclass(frozen=True)
class Repair:
    """Outcome of ``repair_polygonal``: geometry is None when the repair is not safe."""

    geometry: Geometry | None
    area_drawn: float  # shoelace_area of the input
    area_repaired: float  # area of make_valid's polygonal part (0 if none)

    @property
    def relative_change(self) -> float:
        base = max(self.area_repaired, abs(self.area_drawn))
        return abs(self.area_repaired - self.area_drawn) / base if base > 0 else float("inf")


def repair_polygonal(geom: Geometry, tolerance: float = REPAIR_TOLERANCE) -> Repair:
    """Repair an invalid polygon with ``shapely.make_valid`` where it is safe.

    Safe means: the result still has a polygonal part, and its area differs from the drawn
    polygon's shoelace area (``shoelace_area``) by at most ``tolerance`` relative to the larger
    of the two. make_valid (linework method) keeps every edge and fills regions by parity, so the
    two areas differ by twice every region traversed the "wrong way" plus regions traversed twice:
    exactly what the repair had to guess. A tiny twist near a vertex (a digitising slip) changes
    the area by far less than 0.1 % and is repaired; a bowtie (lobes of opposite orientation,
    shoelace area near 0) is refused. Limit: a region wound twice and a region wound backwards of
    equal area would cancel; such drawings do not arise from digitising slips.
    """
    fixed = polygonal_part(shapely.make_valid(geom))
    drawn = shoelace_area(geom)
    if fixed is None:
        return Repair(None, drawn, 0.0)
    outcome = Repair(fixed, drawn, float(fixed.area))
    if not outcome.relative_change <= tolerance:
        return Repair(None, drawn, outcome.area_repaired)
    return outcome


def outside_bounds(
    bounds_array: np.ndarray, bounds: tuple[float, float, float, float]
) -> np.ndarray:
    """Boolean mask of rows of an (n, 4) array of geometry bounds not inside ``bounds``.

    NaN bounds (non-finite coordinates) count as outside.
    """
    lon0, lat0, lon1, lat1 = bounds
    b = np.asarray(bounds_array, dtype=float).reshape(-1, 4)
    inside = (b[:, 0] >= lon0) & (b[:, 1] >= lat0) & (b[:, 2] <= lon1) & (b[:, 3] <= lat1)
    return ~inside


def bounds_problem(geom: Geometry, bounds: tuple[float, float, float, float]) -> str | None:
    """Chinese description of why a geometry's coordinates are out of range, or None."""
    coords = shapely.get_coordinates(geom)
    if not np.isfinite(coords).all():
        return "坐标含非数值（NaN 或无穷大）"
    if not outside_bounds(shapely.bounds(geom), bounds)[0]:
        return None
    lon0, lat0, lon1, lat1 = bounds
    xmin, ymin, xmax, ymax = shapely.bounds(geom)
    text = (
        f"坐标超出范围：经度 {xmin:.6f}～{xmax:.6f}、纬度 {ymin:.6f}～{ymax:.6f}，"
        f"应在经度 {lon0}～{lon1}、纬度 {lat0}～{lat1} 之内"
    )
    # Two common causes deserve a hint: projected metres, and latitude written first.
    if np.abs(coords).max() > 360:
        text += "；疑似投影坐标（米），须为经纬度（WGS-84/CGCS2000）"
    elif not outside_bounds(np.array([ymin, xmin, ymax, xmax]), bounds)[0]:
        text += "；疑似经纬度顺序颠倒（GeoJSON 要求先经度、后纬度）"
    return text
