from . import funnel_sla_stage_mixin
from . import funnel_sla_mixin
from . import mail_activity
