"""ecplan.core — the Django-free domain core.

Pure functions and frozen data: energy carriers, units, factor sets, tce and CO2 accounting,
intensity and progress arithmetic, target status and warnings, and the schemas of plan files
and registries. No I/O beyond reading the package's own data files, no Django, no global
mutable state. The boundary is enforced by import-linter (see pyproject.toml).
"""
