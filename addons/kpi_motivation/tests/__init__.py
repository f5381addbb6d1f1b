from . import test_plan_decomposition
from . import test_scores
from . import test_access
from . import test_kpi_report
from . import test_tour
from . import test_demo
from . import test_rpc
from . import test_i18n
