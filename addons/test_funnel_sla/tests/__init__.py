from . import test_stage_tracking
from . import test_deadline
from . import test_stall_check
from . import test_access
from . import test_tour
from . import test_security_cron
from . import test_security_fields
from . import test_performance
