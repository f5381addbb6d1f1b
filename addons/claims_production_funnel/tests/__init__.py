from . import test_production_line
from . import test_claims_per_line
from . import test_access
from . import test_security
from . import test_i18n
from . import test_click_menus
