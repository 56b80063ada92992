"""Generated organisation data: the demo county (`manage.py load_demo`) and a province for benchmarks.

One generator, parameterised (issue 2 point 9, Benchmark): `county.generate_county` writes one county
from a `CountyPlan`; `demo.py` plans the demo county, `province.py` plans ~80 counties that share the
same code. Everything is derived from a seed, so a run is reproducible.
"""
