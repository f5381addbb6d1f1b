from . import kpi_report
