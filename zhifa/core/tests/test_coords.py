"""WGS84 <-> GCJ-02 conversion (issue 4: positions from Chinese map SDKs are converted on the way in) and
the plausibility check of positions (issue 4: positions outside plausible bounds are clear errors)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.core import coords
from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors

# Published test vectors of the standard algorithm (googollee/eviltransform, python/test.py):
# (WGS84 lat, WGS84 lng, GCJ-02 lat, GCJ-02 lng).
REFERENCE = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
]
TIANANMEN_WGS84 = (116.391275, 39.906217)  # (lng, lat)


@pytest.mark.parametrize(("wgs_lat", "wgs_lng", "gcj_lat", "gcj_lng"), REFERENCE)
def test_forward_transform_reproduces_the_published_vectors(wgs_lat, wgs_lng, gcj_lat, gcj_lng):
    lng, lat = coords.wgs84_to_gcj02(wgs_lng, wgs_lat)
    assert lng == pytest.approx(gcj_lng, abs=1e-9) and lat == pytest.approx(gcj_lat, abs=1e-9)


@pytest.mark.parametrize(("wgs_lat", "wgs_lng", "gcj_lat", "gcj_lng"), REFERENCE)
def test_inverse_transform_recovers_the_wgs84_position_within_a_millimetre(
    wgs_lat, wgs_lng, gcj_lat, gcj_lng
):
    lng, lat = coords.gcj02_to_wgs84(gcj_lng, gcj_lat)
    assert coords.distance_m(lng, lat, wgs_lng, wgs_lat) < 0.001


def test_tiananmen_is_shifted_by_hundreds_of_metres_and_comes_back_exactly():
    gcj = coords.wgs84_to_gcj02(*TIANANMEN_WGS84)
    assert gcj == pytest.approx((116.397516005, 39.907618208), abs=1e-8)
    assert 400 < coords.distance_m(*TIANANMEN_WGS84, *gcj) < 700
    back = coords.gcj02_to_wgs84(*gcj)
    assert coords.distance_m(*back, *TIANANMEN_WGS84) < 0.001
    # The one-step inverse most code uses (gcj - offset(gcj)) is visibly worse: that is why we iterate.
    d_lng, d_lat = coords._offset(*gcj)
    assert coords.distance_m(gcj[0] - d_lng, gcj[1] - d_lat, *TIANANMEN_WGS84) > 0.01


@settings(max_examples=300, deadline=None)
@given(lng=st.floats(73.7, 135.0), lat=st.floats(4.0, 53.5))
def test_round_trip_anywhere_in_china_is_under_a_millimetre(lng, lat):
    back = coords.gcj02_to_wgs84(*coords.wgs84_to_gcj02(lng, lat))
    assert coords.distance_m(*back, lng, lat) < 0.001


@pytest.mark.parametrize(
    "point",
    [
        (2.3522, 48.8566),
        (-74.006, 40.7128),
        (151.2093, -33.8688),
        (0.0, 0.0),
        (139.6917, 35.6895),
        (70.0, 40.0),
    ],
)
def test_points_outside_china_are_returned_unchanged(point):
    assert coords.out_of_china(*point)
    assert coords.wgs84_to_gcj02(*point) == point
    assert coords.gcj02_to_wgs84(*point) == point


def test_china_s_extremes_are_converted():
    for lng, lat in (
        (122.35, 53.55),
        (135.08, 48.4),
        (73.6, 39.4),
        (112.3, 4.0),
    ):  # Mohe, Fuyuan, Pamir, S. Sea
        assert not coords.out_of_china(lng, lat) and coords.wgs84_to_gcj02(lng, lat) != (lng, lat)


def test_to_wgs84_by_coordinate_system():
    gcj = coords.wgs84_to_gcj02(*TIANANMEN_WGS84)
    assert coords.to_wgs84(*gcj, "gcj02") == pytest.approx(TIANANMEN_WGS84, abs=1e-8)
    assert coords.to_wgs84(*TIANANMEN_WGS84, "wgs84") == TIANANMEN_WGS84
    with pytest.raises(ServiceError) as caught:
        coords.to_wgs84(*gcj, "bd09")
    assert caught.value.field == "coordinate_system" and "坐标系" in caught.value.message


# --- plausibility ---------------------------------------------------------------------------------


def refused(lat, lng, **fields) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        coords.plausible(lat, lng, **fields)
    assert coords.position_problem(lat, lng, **fields) is not None
    return caught.value


def test_a_position_in_china_is_accepted_as_floats():
    assert coords.plausible("39.906217", 116.391275) == (39.906217, 116.391275)
    assert coords.position_problem(26.08, 119.3) is None


def test_latitude_200_is_refused_naming_the_latitude():
    error = refused(200, 116.4)
    assert (error.code, error.field) == (ErrorCode.INVALID, "lat")
    assert "纬度" in error.message and "-90到90" in error.message and "200" in error.message


def test_longitude_minus_300_is_refused_naming_the_longitude():
    error = refused(39.9, -300, lng_field="longitude")
    assert error.field == "longitude" and "经度" in error.message and "-180到180" in error.message


def test_nan_and_infinity_are_refused():
    error = refused(math.nan, 116.4)
    assert error.field == "lat" and "纬度" in error.message and "有效" in error.message
    error = refused(39.9, float("inf"))
    assert error.field == "lng" and "经度" in error.message


def test_zero_zero_is_a_failed_fix():
    error = refused(0, 0)
    assert error.field == "lat" and "定位失败" in error.message


def test_missing_and_non_numeric_values():
    error = refused(None, 116.4)
    assert (error.code, error.field) == (ErrorCode.REQUIRED, "lat") and "纬度" in error.message
    error = refused(39.9, "东经116")
    assert error.field == "lng" and "经度必须是数字" in error.message


def test_both_fields_bad_gives_both_errors():
    with pytest.raises(ValidationErrors) as caught:
        coords.plausible(200, -300)
    assert [e.field for e in caught.value.errors] == ["lat", "lng"]
    assert coords.position_problem(200, -300).field == "lat"


def test_outside_china_and_swapped_latitude_longitude():
    error = refused(48.8566, 2.3522)  # Paris
    assert error.field == "lng" and "不在中国境内" in error.message
    error = refused(-33.87, 151.2)  # Sydney: the latitude is what is wrong
    assert error.field == "lat"
    error = refused(116.39, 39.9)  # swapped: the latitude is out of range, with a hint
    assert error.field == "lat" and "-90到90" in error.message and "填反" in error.message
    error = refused(80.0, 30.0)  # swapped but in range
    assert "不在中国境内" in error.message and "填反" in error.message
