from . import customer_need_close_wizard
from . import product_catalog_import_wizard
from . import customer_need_print_wizard
from . import customer_need_threshold_wizard
