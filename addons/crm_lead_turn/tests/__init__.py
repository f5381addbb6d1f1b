from . import test_turn_wheel
from . import test_turns
from . import test_turns_concurrent
from . import test_security
from . import test_uninstall
from . import test_i18n
