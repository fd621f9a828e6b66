"""Loading control units from GeoJSON: validation, safe repair, all-or-nothing errors."""

import math

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from ecogov.eia.zoning import (
    AccessKind,
    UnitClass,
    UnitDataError,
    load_units,
    repair_polygonal,
    shoelace_area,
)

# No example database (no files in the work tree); no deadline (the machine is shared).
quiet = settings(database=None, deadline=None)

X0, Y0 = 113.0, 23.0  # Guangzhou-ish


def ring(points, scale=0.1):
    """Unit-square coordinates placed near (X0, Y0), scaled to degrees."""
    return [[X0 + x * scale, Y0 + y * scale] for x, y in points]


SQUARE = [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]


def feature(code="YS001", coords=None, cls="优先保护", name="白云山", geometry=None, **extra):
    geometry = geometry or {"type": "Polygon", "coordinates": [ring(coords or SQUARE)]}
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {"code": code, "name": name, "class": cls, **extra},
    }


def fc(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def refused(*features, **options):
    with pytest.raises(UnitDataError) as info:
        load_units(fc(*features), **options)
    return info.value.errors


def test_loads_good_collection():
    loaded = load_units(
        fc(
            feature(
                "YS001",
                cls="优先保护单元",
                flags=["red_line"],
                access=[
                    {"kind": "禁止", "industries": ["26", "C2511"], "text": "禁止新建化工项目"},
                    {"id": "x", "kind": "restricted", "catalogue_items": [" 44 "], "text": "限制"},
                ],
            ),
            feature(
                "ZH002", [(1, 0), (2, 0), (2, 1), (1, 1), (1, 0)], cls="key_control", name="园区"
            ),
        )
    )
    a, b = loaded.units
    assert loaded.repairs == ()
    assert (a.code, a.name, a.unit_class, a.flags) == (
        "YS001",
        "白云山",
        UnitClass.PRIORITY_PROTECTION,
        {"red_line"},
    )
    assert b.unit_class is UnitClass.KEY_CONTROL and b.access == () and not b.repaired
    first, second = a.access
    assert (first.id, first.kind, first.industries) == (
        "YS001-1",
        AccessKind.FORBIDDEN,
        ("C26", "C2511"),
    )
    assert (second.id, second.kind, second.catalogue_items) == ("x", AccessKind.RESTRICTED, ("44",))
    assert a.geometry.equals(shapely.Polygon(ring(SQUARE)))


def test_json_text_and_multipolygon_accepted():
    import json

    multi = {
        "type": "MultiPolygon",
        "coordinates": [[ring(SQUARE)], [ring([(3, 3), (4, 3), (4, 4), (3, 3)])]],
    }
    loaded = load_units(json.dumps(fc(feature(geometry=multi)), ensure_ascii=False))
    assert loaded.units[0].geometry.geom_type == "MultiPolygon"


@pytest.mark.parametrize(
    "geometry, fragment",
    [
        ({"type": "Polygon", "coordinates": []}, "几何为空"),
        ({"type": "MultiPolygon", "coordinates": []}, "几何为空"),
        (None, "几何为空"),
        ({"type": "Point", "coordinates": [113.0, 23.0]}, "须为 Polygon 或 MultiPolygon"),
        ({"type": "Polygon", "coordinates": [[[113.0]]]}, "无法解析"),
    ],
)
def test_empty_or_wrong_geometry_refused_naming_unit(geometry, fragment):
    f = feature(geometry={"type": "Polygon"})
    f["geometry"] = geometry
    (error,) = refused(f)
    assert error.startswith("单元 YS001（白云山）") and fragment in error


def test_small_self_intersection_repaired_and_reported():
    # The closing edge overshoots the first corner: a twist of about 5e-5 of the area.
    twisted = [(0, 0), (1, 0), (1, 1), (0, 1), (0.01, -0.01), (0, 0)]
    assert not shapely.Polygon(ring(twisted)).is_valid
    loaded = load_units(fc(feature("YS009", twisted)))
    (unit,) = loaded.units
    assert (
        unit.repaired
        and unit.geometry.is_valid
        and unit.geometry.geom_type in ("Polygon", "MultiPolygon")
    )
    # The repair adds the 5e-5 twist the shoelace area subtracted; the square lost a sliver.
    assert unit.geometry.area == pytest.approx(
        shoelace_area(shapely.Polygon(ring(twisted))), rel=2e-4
    )
    assert unit.geometry.area == pytest.approx(0.01, rel=1e-2)
    (note,) = loaded.repairs
    assert "YS009" in note and "边界自相交" in note and "已自动修复" in note


def test_bowtie_refused():
    (error,) = refused(feature("YS007", [(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)]))
    assert "YS007" in error and "边界自相交" in error and "无法安全修复" in error


def test_unequal_figure_eight_refused():
    # Lobes of 1 and 0.15 meeting at a vertex, drawn in opposite directions: ambiguous.
    eight = [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0), (0, -1), (-0.3, -1), (0, 0)]
    assert not shapely.Polygon(ring(eight)).is_valid
    error = refused(feature("YS008", eight))[0]
    assert "无法安全修复" in error and "面积改变 26.09%" in error


def test_figure_eight_with_lobes_the_same_way_is_repaired():
    # Same lobes drawn the same way round: the drawing is unambiguous, two touching parts.
    eight = [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0), (-0.3, -1), (0, -1), (0, 0)]
    (unit,) = load_units(fc(feature("YS008", eight))).units
    assert unit.repaired and unit.geometry.geom_type == "MultiPolygon"
    assert unit.geometry.area == pytest.approx(0.0115)


def test_collapsed_polygon_refused():
    (error,) = refused(feature("YS006", [(0, 0), (1, 0), (2, 0), (0, 0)]))  # exactly collinear
    assert "YS006" in error and "不再是面" in error
    # Collinear up to rounding: GEOS calls it valid, but its area is ~1e-15 square degrees.
    (error,) = refused(feature("YS005", [(0, 0), (1, 1), (2, 2), (0, 0)]))
    assert "YS005" in error and "面积几乎为零" in error


@quiet
@given(st.floats(0.2, 1.0), st.floats(0.2, 3.0))
def test_bowties_of_any_proportion_are_refused(width, height):
    bowtie = shapely.Polygon(ring([(0, 0), (width, height), (width, 0), (0, height), (0, 0)]))
    assert repair_polygonal(bowtie).geometry is None


def test_out_of_range_coordinates_refused_with_hints():
    swapped = {"type": "Polygon", "coordinates": [[[y, x] for x, y in ring(SQUARE)]]}
    projected = {"type": "Polygon", "coordinates": [[[x * 1e4, y * 1e4] for x, y in ring(SQUARE)]]}
    errors = refused(
        feature("A1", geometry=swapped),
        feature("A2", geometry=projected),
        feature("A3", [(0, 0), (1, 0), (1, 1), (0, 0)], name="越界")
        | {
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[140, 40], [141, 40], [141, 41], [140, 40]]],
            }
        },
    )
    assert len(errors) == 3
    assert "A1" in errors[0] and "坐标超出范围" in errors[0] and "经纬度顺序颠倒" in errors[0]
    assert "A2" in errors[1] and "投影坐标" in errors[1]
    assert "A3" in errors[2] and "经度 140" in errors[2]


def test_non_finite_coordinates_refused():
    geometry = {
        "type": "Polygon",
        "coordinates": [[[113, 23], [math.nan, 23], [113.1, 23.1], [113, 23]]],
    }
    assert "非数值" in refused(feature(geometry=geometry))[0]


def test_division_bounds_can_replace_china_range():
    (error,) = refused(feature(), bounds=(113.5, 23.5, 114.0, 24.0))
    assert "坐标超出范围" in error


def test_unknown_class_refused():
    (error,) = refused(feature("YS001", cls="红线区"))
    assert "YS001" in error and "管控类别“红线区”未知" in error


def test_all_errors_reported_together_nothing_loaded():
    errors = refused(
        feature("OK1"),
        feature("BAD1", cls=None),
        feature("BAD2", [(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)]),
        feature("OK1", [(2, 0), (3, 0), (3, 1), (2, 0)]),  # duplicate code
        feature("", name="无编码"),
        {"type": "Point"},
    )
    assert len(errors) == 5
    for fragment in (
        "BAD1",
        "BAD2",
        "与第 1 个要素重复",
        "第 5 个要素（无编码）：缺少单元编码",
        "第 6 个要素不是",
    ):
        assert any(fragment in e for e in errors), fragment


def test_bad_access_entries_refused():
    errors = refused(
        feature(
            "YS001",
            flags=["wetland"],
            colour="red",
            access=[
                {"kind": "banned", "industries": ["C26"], "text": "x"},
                {"kind": "forbidden", "industries": ["C01"], "text": "x"},
                {"kind": "forbidden", "text": "无代码"},
                {"kind": "forbidden", "industries": ["C26"]},
                {"id": "d", "kind": "forbidden", "industries": ["C26"], "text": "x"},
                {"id": "d", "kind": "forbidden", "industries": ["C26"], "text": "x"},
            ],
        )
    )
    joined = "\n".join(errors)
    for fragment in (
        "标志 flags",
        "未知属性 colour",
        "第 1 条：类型 kind“banned”未知",
        "第 2 条：行业代码“C01”",
        "第 3 条：须至少列出",
        "第 4 条：缺少条文",
        "第 6 条：条目编号 d 重复",
    ):
        assert fragment in joined, fragment


def test_not_a_feature_collection_refused():
    for bad in ({"type": "Feature"}, "not json", fc()):
        with pytest.raises(UnitDataError):
            load_units(bad)


def test_crs_member():
    good = fc(feature()) | {
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4490"}}
    }
    assert load_units(good).units
    bad = fc(feature()) | {
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4547"}}
    }
    with pytest.raises(UnitDataError, match="坐标参考系"):
        load_units(bad)


def test_to_feature_round_trip():
    (unit,) = load_units(
        fc(
            feature(
                flags=["red_line"],
                access=[{"kind": "forbidden", "industries": ["26"], "text": "禁止化工"}],
            )
        )
    ).units
    (again,) = load_units(fc(unit.to_feature())).units
    assert again.geometry.equals(unit.geometry)
    assert (again.code, again.name, again.unit_class, again.flags, again.access) == (
        unit.code,
        unit.name,
        unit.unit_class,
        unit.flags,
        unit.access,
    )


def test_hole_orientation_does_not_matter():
    hole_same_way = ring([(0.25, 0.25), (0.75, 0.25), (0.75, 0.75), (0.25, 0.75), (0.25, 0.25)])
    geometry = {"type": "Polygon", "coordinates": [ring(SQUARE), hole_same_way]}
    (unit,) = load_units(fc(feature(geometry=geometry))).units
    assert not unit.repaired
    assert unit.geometry.area == pytest.approx(0.0075)


@st.composite
def star_polygons(draw):
    n = draw(st.integers(5, 60))
    radii = draw(st.lists(st.floats(0.2, 1.0), min_size=n, max_size=n))
    pts = [
        (0.5 + r * math.cos(2 * math.pi * k / n), 0.5 + r * math.sin(2 * math.pi * k / n))
        for k, r in enumerate(radii)
    ]
    if draw(st.booleans()):
        pts.reverse()  # clockwise shells are accepted (RFC 7946 says not to reject them)
    return pts + [pts[0]]


@quiet
@given(star_polygons())
def test_valid_polygons_load_unchanged(points):
    (unit,) = load_units(fc(feature(coords=points))).units
    assert not unit.repaired
    assert unit.geometry.equals(shapely.Polygon(ring(points)))
    assert shoelace_area(unit.geometry) == pytest.approx(unit.geometry.area, rel=1e-9)
