from . import test_assessment
from . import test_policy
from . import test_access
