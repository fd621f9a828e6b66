"""Screening project locations against control units (STRtree index)."""

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import LineString, Point, Polygon, box

from ecogov.eia.zoning import AccessKind, Project, ProjectInputError, UnitIndex, load_units

# No example database (no files in the work tree); no deadline (the machine is shared).
quiet = settings(database=None, deadline=None)

# Three 0.1° squares side by side (A | B | C), and D, a square with a hole, further north.
A = box(113.0, 23.0, 113.1, 23.1)
B = box(113.1, 23.0, 113.2, 23.1)
C = box(113.2, 23.0, 113.3, 23.1)
D = Polygon(
    box(113.0, 23.3, 113.3, 23.6).exterior.coords, [box(113.1, 23.4, 113.2, 23.5).exterior.coords]
)


def unit(code, geom, cls, **extra):
    return {
        "type": "Feature",
        "geometry": shapely.geometry.mapping(geom),
        "properties": {"code": code, "name": f"{code}单元", "class": cls, **extra},
    }


UNITS = load_units(
    {
        "type": "FeatureCollection",
        "features": [
            unit("C1", C, "一般管控"),
            unit(
                "B1",
                B,
                "重点管控",
                flags=["non_attainment"],
                access=[
                    {
                        "kind": "restricted",
                        "industries": ["26"],
                        "text": "限制新建化学原料制造项目",
                    },
                    {"kind": "forbidden", "catalogue_items": ["44"], "text": "禁止名录第44项"},
                ],
            ),
            unit(
                "A1",
                A,
                "优先保护",
                flags=["red_line"],
                access=[
                    {
                        "kind": "forbidden",
                        "industries": ["C26", "C25"],
                        "text": "禁止新建化工、石化项目",
                    }
                ],
            ),
            unit("D1", D, "一般管控"),
        ],
    }
).units
INDEX = UnitIndex(UNITS)


def codes(screening):
    return [c.unit.code for c in screening.contacts]


def test_point_inside_one_unit():
    s = INDEX.screen(Project(Point(113.05, 23.05)))
    assert codes(s) == ["A1"] and not s.contacts[0].boundary_only
    assert s.access_matches == ()  # no industry given


def test_point_outside_all_units_and_in_a_hole():
    assert INDEX.screen(Project(Point(113.5, 23.05))).contacts == ()
    assert INDEX.screen(Project(Point(113.15, 23.45))).contacts == ()


def test_point_on_shared_boundary_touches_both_priority_first():
    s = INDEX.screen(Project(Point(113.1, 23.05)))
    assert codes(s) == ["A1", "B1"]
    assert all(c.boundary_only for c in s.contacts)


def test_point_on_outer_corner_and_on_hole_edge():
    assert codes(INDEX.screen(Project(Point(113.0, 23.0)))) == ["A1"]
    s = INDEX.screen(Project(Point(113.15, 23.4)))  # on the hole's edge: D's boundary
    assert codes(s) == ["D1"] and s.contacts[0].boundary_only


def test_polygon_touching_several_units_sorted_by_class_then_code():
    s = INDEX.screen(Project(box(113.05, 23.02, 113.25, 23.08)))
    assert codes(s) == ["A1", "B1", "C1"]
    assert not any(c.boundary_only for c in s.contacts)


def test_polygon_meeting_a_unit_only_along_its_edge():
    s = INDEX.screen(Project(box(112.9, 23.0, 113.0, 23.1)))
    assert codes(s) == ["A1"] and s.contacts[0].boundary_only


def test_line_and_geojson_mapping_locations():
    road = {
        "type": "LineString",
        "coordinates": [[113.05, 23.05], [113.15, 23.05], [113.15, 23.45]],
    }
    s = INDEX.screen(Project(road))
    assert codes(s) == ["A1", "B1", "D1"]  # along A into B, then north through D into its hole
    assert (
        INDEX.screen(Project(LineString([(113.25, 23.05), (113.5, 23.05)]))).units[0].code == "C1"
    )


def test_industry_prefix_matching_across_units():
    s = INDEX.screen(Project(box(113.05, 23.02, 113.15, 23.08), industry="2611"))
    assert s.industry == "C2611"
    assert [(m.unit.code, m.entry.kind, m.matched, m.text) for m in s.access_matches] == [
        ("A1", AccessKind.FORBIDDEN, "行业 C26", "禁止新建化工、石化项目"),
        ("B1", AccessKind.RESTRICTED, "行业 C26", "限制新建化学原料制造项目"),
    ]
    assert [m.unit.code for m in s.forbidden] == ["A1"] and [m.unit.code for m in s.restricted] == [
        "B1"
    ]
    assert (
        "单元 A1（A1单元，优先保护）禁止行业 C26：禁止新建化工、石化项目" == s.forbidden[0].message
    )


def test_industry_outside_prefix_and_catalogue_item():
    where = box(113.05, 23.02, 113.15, 23.08)
    assert [m.matched for m in INDEX.screen(Project(where, industry="C2511")).access_matches] == [
        "行业 C25"
    ]
    assert INDEX.screen(Project(where, industry="C3011")).access_matches == ()
    s = INDEX.screen(Project(where, industry="C3011", catalogue_item="44"))
    assert [(m.unit.code, m.matched) for m in s.access_matches] == [("B1", "名录条目 44")]


def test_batch_matches_single_screens_in_input_order():
    projects = [
        Project(Point(113.15, 23.05), industry="C2611", ref="p1"),
        Project(Point(114.0, 23.0), ref="p2"),
        Project(Point(113.1, 23.05), ref="p3"),
        Project(box(113.05, 23.02, 113.25, 23.08), ref="p4"),
    ]
    batch = INDEX.screen_many(projects)
    assert [s.project.ref for s in batch] == ["p1", "p2", "p3", "p4"]
    assert [codes(s) for s in batch] == [codes(INDEX.screen(p)) for p in projects]
    assert INDEX.screen_many([]) == []


def test_bad_projects_all_reported_nothing_screened():
    bowtie = Polygon([(113.0, 23.0), (113.1, 23.1), (113.1, 23.0), (113.0, 23.1)])
    with pytest.raises(ProjectInputError) as info:
        INDEX.screen_many(
            [
                Project(Point(113.05, 23.05), ref="good"),
                Project(Point(23.05, 113.05), ref="swapped"),
                Project(bowtie, ref="bowtie"),
                Project(Point(113.05, 23.05), industry="C01", ref="code"),
                Project(Point(113.05, 23.05), flags={"total_emission_ok": "yes"}, ref="flag"),
                Project(shapely.GeometryCollection([Point(113, 23)]), ref="collection"),
                Project(Point(), ref="empty"),
                Project({"type": "Point", "coordinates": []}),
            ]
        )
    errors = info.value.errors
    assert len(errors) == 7 and not any("good" in e for e in errors)
    for fragment in (
        "项目 swapped：位置坐标超出范围",
        "经纬度顺序颠倒",
        "项目 bowtie：位置几何无效（边界自相交",
        "项目 code：行业代码“C01”",
        "项目 flag：项目事实 total_emission_ok",
        "项目 collection：位置须为",
        "项目 empty：位置为空",
        "第 8 个项目：",
    ):
        assert any(fragment in e for e in errors), fragment


def test_index_bounds_can_be_a_division():
    division = UnitIndex(UNITS, bounds=(113.0, 23.0, 113.3, 23.6))
    with pytest.raises(ProjectInputError, match="坐标超出范围"):
        division.screen(Project(Point(113.5, 23.05)))


# Property: the index finds exactly the units brute force finds, for any batch of points.
GRID = load_units(
    {
        "type": "FeatureCollection",
        "features": [
            unit(
                f"G{i}",
                shapely.buffer(
                    Point(113 + 0.07 * (i % 6), 23 + 0.07 * (i // 6)), 0.05, quad_segs=40
                ),
                ["优先保护", "重点管控", "一般管控"][i % 3],
            )
            for i in range(24)
        ],
    }
).units
GRID_INDEX = UnitIndex(GRID)
coords = st.tuples(st.floats(112.9, 113.5), st.floats(22.9, 23.3))


@quiet
@given(st.lists(coords, min_size=1, max_size=40))
def test_index_agrees_with_brute_force(points):
    projects = [Project(Point(x, y)) for x, y in points]
    found = [set(codes(s)) for s in GRID_INDEX.screen_many(projects)]
    geoms = np.array([u.geometry for u in GRID], dtype=object)
    brute = [
        {GRID[j].code for j in np.flatnonzero(shapely.intersects(geoms, Point(x, y)))}
        for x, y in points
    ]
    assert found == brute


def test_a_geojson_location_without_coordinates_is_reported_not_raised():
    with pytest.raises(ProjectInputError, match="项目 bare：位置缺少 GeoJSON 的“coordinates”"):
        INDEX.screen(Project({"type": "Point"}, ref="bare"))
