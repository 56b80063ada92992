"""Importing the organisation from files (issue 2, point 3): people (.xlsx/.csv), regions (.xlsx/.csv)
and grid cells (GeoJSON). This package reads and validates; zhifa.org.services.imports writes."""
