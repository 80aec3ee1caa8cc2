"""ecplan.demo — deterministic, calibrated demo data (演示数据) for the platform.

Django-free (import-linter enforces it): the generator produces plain records and files;
:mod:`ecplan.demo.loader` stores them through the data-collection services.

* :func:`generate_city` — the demo city (扬州市): ~100 key enterprises with installations and
  monthly energy reports, city and area statistics, department reports, binding targets and a
  retrofit ledger, 2020-01 to 2025-12, calibrated to public figures and to the plan's own
  (see ``docs/demo-data.md``);
* :func:`write_city` — the files (CSV and one workbook) in the formats the importer reads;
* :func:`generate_province` — province-scale long tables (13 cities × 3,000 enterprises × 60
  months × 20 carriers) as polars frames, for benchmarks.
"""

from ecplan.demo.city import DEFAULT_SEED, DemoDataError, generate_city
from ecplan.demo.model import DemoCity

__all__ = ["DEFAULT_SEED", "DemoCity", "DemoDataError", "generate_city"]
