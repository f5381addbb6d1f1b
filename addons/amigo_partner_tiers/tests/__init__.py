from . import test_assessment
from . import test_policy
from . import test_access
from . import test_reports
from . import test_routing
from . import test_development
from . import test_portal
from . import test_tour
