"""Coordinates: WGS84 is what Zhifa stores; GCJ-02 (Chinese map SDKs) is converted on the way in.

GCJ-02 ("Mars coordinates", 国测局坐标) is WGS84 shifted by a published-by-leak, deterministic formula
(Krasovsky 1940 ellipsoid, a = 6378245 m, e^2 = 0.00669342162296594323); AMap/Gaode, Tencent and
Google China maps, and the WeChat/uni-app location APIs with type "gcj02", answer in it. The same
formula is in every public implementation (e.g. eviltransform, coordtransform). Accuracy:

- `wgs84_to_gcj02` IS the formula: it reproduces the published test vectors of eviltransform (Shanghai,
  Shenzhen, Beijing; zhifa/core/tests/test_coords.py) to 1e-9 degrees (~0.1 mm).
- `gcj02_to_wgs84` inverts it by fixed-point iteration (w <- g - offset(w)) until the step is below
  1e-10 degrees (~0.01 mm), usually in 3 to 5 steps: the round trip WGS84 -> GCJ-02 -> WGS84 is exact
  to well under 1 mm. (The common one-step inverse, g - offset(g), is off by 1 to 2 m.)
- The conversion's error against a real map is that of the map vendor's own data, not of this code.

Outside China the formula is not applied (same box as eviltransform, which also holds Mohe at
53.56 N and Fuyuan at 135.08 E): a point there is returned unchanged by both functions.

`plausible(lat, lng)` checks a position given by a user or device: numbers, in WGS84 range, not the
(0, 0) of a failed fix, inside China's extent, with a Chinese message naming the field.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from zhifa.core.errors import ErrorCode, ServiceError, ValidationErrors

KRASOVSKY_A = 6378245.0  # semi-major axis of the Krasovsky 1940 ellipsoid (m)
KRASOVSKY_EE = 0.00669342162296594323  # its first eccentricity squared
# The box where GCJ-02 applies: (min lng, min lat, max lng, max lat).
GCJ_BOX = (72.004, 0.8293, 137.8347, 55.8271)
# China's extent with a small margin, for plausibility: Pamir ~73.5 E, Fuyuan ~135.1 E,
# Zengmu Ansha ~4 N, Mohe ~53.6 N.
CHINA_LNG = (73.0, 136.0)
CHINA_LAT = (3.0, 54.0)
INVERSE_TOLERANCE = 1e-10  # degrees
INVERSE_MAX_STEPS = 30


class CoordinateSystem(StrEnum):
    WGS84 = "wgs84"  # GPS, browser geolocation, Open311
    GCJ02 = "gcj02"  # AMap/Gaode, Tencent maps, WeChat location with type "gcj02"


def out_of_china(lng: float, lat: float) -> bool:
    """True where GCJ-02 does not apply (outside the box of the standard algorithm)."""
    min_lng, min_lat, max_lng, max_lat = GCJ_BOX
    return not (min_lng <= lng <= max_lng and min_lat <= lat <= max_lat)


def _offset(lng: float, lat: float) -> tuple[float, float]:
    """The GCJ-02 shift (d_lng, d_lat) in degrees at a WGS84 position."""
    x, y = lng - 105.0, lat - 35.0
    shared = (20.0 * math.sin(6.0 * math.pi * x) + 20.0 * math.sin(2.0 * math.pi * x)) * 2.0 / 3.0
    north = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x)) + shared
    north += (20.0 * math.sin(math.pi * y) + 40.0 * math.sin(math.pi * y / 3.0)) * 2.0 / 3.0
    north += (160.0 * math.sin(math.pi * y / 12.0) + 320.0 * math.sin(math.pi * y / 30.0)) * 2.0 / 3.0
    east = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x)) + shared
    east += (20.0 * math.sin(math.pi * x) + 40.0 * math.sin(math.pi * x / 3.0)) * 2.0 / 3.0
    east += (150.0 * math.sin(math.pi * x / 12.0) + 300.0 * math.sin(math.pi * x / 30.0)) * 2.0 / 3.0
    rad = math.radians(lat)
    w = 1.0 - KRASOVSKY_EE * math.sin(rad) ** 2
    sqrt_w = math.sqrt(w)
    d_lat = north * 180.0 / (KRASOVSKY_A * (1.0 - KRASOVSKY_EE) / (w * sqrt_w) * math.pi)
    d_lng = east * 180.0 / (KRASOVSKY_A / sqrt_w * math.cos(rad) * math.pi)
    return d_lng, d_lat


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    """(lng, lat) in GCJ-02 of a WGS84 position; unchanged outside China."""
    if out_of_china(lng, lat):
        return lng, lat
    d_lng, d_lat = _offset(lng, lat)
    return lng + d_lng, lat + d_lat


def gcj02_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    """(lng, lat) in WGS84 of a GCJ-02 position (iterated to < 1e-10 degrees); unchanged outside China."""
    if out_of_china(lng, lat):
        return lng, lat
    w_lng, w_lat = lng, lat
    for _step in range(INVERSE_MAX_STEPS):
        d_lng, d_lat = _offset(w_lng, w_lat)
        next_lng, next_lat = lng - d_lng, lat - d_lat
        done = abs(next_lng - w_lng) < INVERSE_TOLERANCE and abs(next_lat - w_lat) < INVERSE_TOLERANCE
        w_lng, w_lat = next_lng, next_lat
        if done:
            break
    return w_lng, w_lat


def to_wgs84(
    lng: float, lat: float, system: str | CoordinateSystem = CoordinateSystem.WGS84
) -> tuple[float, float]:
    """(lng, lat) in WGS84 of a position given in `system` ("wgs84" or "gcj02")."""
    try:
        system = CoordinateSystem(system)
    except ValueError:
        raise ServiceError(
            ErrorCode.INVALID,
            _("坐标系“%(system)s”不受支持，应为wgs84或gcj02。") % {"system": system},
            field="coordinate_system",
        ) from None
    if system is CoordinateSystem.GCJ02:
        return gcj02_to_wgs84(lng, lat)
    return lng, lat


def distance_m(lng_a: float, lat_a: float, lng_b: float, lat_b: float) -> float:
    """Great-circle distance in metres (haversine, WGS84 mean radius): for tests and duplicate search."""
    r = 6371008.8
    p_a, p_b = math.radians(lat_a), math.radians(lat_b)
    d_p, d_l = p_b - p_a, math.radians(lng_b - lng_a)
    h = math.sin(d_p / 2) ** 2 + math.cos(p_a) * math.cos(p_b) * math.sin(d_l / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(h)))


def _number(value: Any, field: str, label: str) -> tuple[float | None, ServiceError | None]:
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        return None, ServiceError(ErrorCode.REQUIRED, _("请提供%(label)s。") % {"label": label}, field=field)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None, ServiceError(
            ErrorCode.INVALID,
            _("%(label)s必须是数字，收到的是“%(value)s”。") % {"label": label, "value": str(value)[:40]},
            field=field,
        )
    if not math.isfinite(number):
        return None, ServiceError(
            ErrorCode.INVALID,
            _("%(label)s不是有效的数值（%(value)s）。") % {"label": label, "value": value},
            field=field,
        )
    return number, None


def _looks_swapped(lat: float, lng: float) -> bool:
    return CHINA_LAT[0] <= lng <= CHINA_LAT[1] and CHINA_LNG[0] <= lat <= CHINA_LNG[1]


def position_problem(
    lat: Any, lng: Any, *, lat_field: str = "lat", lng_field: str = "lng"
) -> ServiceError | None:
    """What `plausible` would refuse (its first error, with .message and .field), or None."""
    try:
        plausible(lat, lng, lat_field=lat_field, lng_field=lng_field)
    except ValidationErrors as errors:
        return errors.errors[0]
    except ServiceError as error:
        return error
    return None


def plausible(lat: Any, lng: Any, *, lat_field: str = "lat", lng_field: str = "lng") -> tuple[float, float]:
    """Check a WGS84 position from a user or device and return it as floats ``(lat, lng)``.

    Refused, with a Chinese message naming the field: missing or non-numeric values, NaN/infinity,
    latitude outside -90..90 or longitude outside -180..180, exactly (0, 0) (what a failed location fix
    reports), and positions outside China's extent (with a hint when latitude and longitude look swapped).
    Several bad fields raise ValidationErrors.
    """
    lat_label, lng_label = _("纬度"), _("经度")
    lat_value, lat_error = _number(lat, lat_field, lat_label)
    lng_value, lng_error = _number(lng, lng_field, lng_label)
    errors = [e for e in (lat_error, lng_error) if e is not None]
    if lat_value is not None and not -90.0 <= lat_value <= 90.0:
        swapped = lng_value is not None and _looks_swapped(lat_value, lng_value)
        message = (
            _("纬度必须在-90到90之间，收到的是%(value)s；纬度和经度可能填反了。")
            if swapped
            else _("纬度必须在-90到90之间，收到的是%(value)s。")
        )
        errors.append(ServiceError(ErrorCode.INVALID, message % {"value": f"{lat_value:g}"}, field=lat_field))
    if lng_value is not None and not -180.0 <= lng_value <= 180.0:
        errors.append(
            ServiceError(
                ErrorCode.INVALID,
                _("经度必须在-180到180之间，收到的是%(value)s。") % {"value": f"{lng_value:g}"},
                field=lng_field,
            )
        )
    if errors:
        raise errors[0] if len(errors) == 1 else ValidationErrors(errors)
    assert lat_value is not None and lng_value is not None
    if lat_value == 0.0 and lng_value == 0.0:
        raise ServiceError(
            ErrorCode.INVALID,
            _("位置为经度0、纬度0，这通常表示定位失败；请重新定位或在地图上选点。"),
            field=lat_field,
        )
    in_lat = CHINA_LAT[0] <= lat_value <= CHINA_LAT[1]
    in_lng = CHINA_LNG[0] <= lng_value <= CHINA_LNG[1]
    if not (in_lat and in_lng):
        swapped = _looks_swapped(lat_value, lng_value)
        params = {"lat": f"{lat_value:g}", "lng": f"{lng_value:g}"}
        message = (
            _("位置（纬度%(lat)s，经度%(lng)s）不在中国境内，纬度和经度可能填反了。")
            if swapped
            else _("位置（纬度%(lat)s，经度%(lng)s）不在中国境内，请检查定位或重新在地图上选点。")
        )
        raise ServiceError(ErrorCode.INVALID, message % params, field=lat_field if not in_lat else lng_field)
    return lat_value, lng_value
