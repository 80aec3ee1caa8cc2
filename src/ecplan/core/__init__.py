"""ecplan.core — the Django-free domain core.

Pure functions and frozen data: energy carriers, units, factor sets, tce and CO2 accounting,
intensity and progress arithmetic, target status and warnings, and the schemas of plan files
and registries. No I/O beyond reading the package's own data files, no Django, no global
mutable state. The boundary is enforced by import-linter (see pyproject.toml).
"""

# Target evaluation (status rules, 晴雨表 warnings, progress requirements): ecplan.core.evaluation.
from ecplan.core.evaluation import annual_requirement as annual_requirement
from ecplan.core.evaluation import assess_consumption_warning as assess_consumption_warning
from ecplan.core.evaluation import assess_intensity_warning as assess_intensity_warning
from ecplan.core.evaluation import target_status as target_status
from ecplan.core.evaluation import warning_level as warning_level
