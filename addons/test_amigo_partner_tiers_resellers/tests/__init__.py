from . import test_resellers
