from . import test_funnel_sla_stage
from . import test_funnel_sla_record
