from . import production_funnel_stage
from . import production_line
from . import mrp_workcenter
from . import product_template
from . import mrp_production
from . import mrp_workorder
from . import production_line_load
from . import res_config_settings
