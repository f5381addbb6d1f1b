from . import test_intake
from . import test_dealing
from . import test_checklist
from . import test_sla
from . import test_surveys
from . import test_reports
from . import test_security
from . import test_i18n
