from . import test_kpi_margin
