from . import test_production_line
from . import test_funnel
from . import test_load
from . import test_forecast
from . import test_access
from . import test_tour
from . import test_rpc
from . import test_click_menus
