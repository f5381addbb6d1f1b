from odoo.tools import SQL


def migrate(cr, version):
    """Detection no longer serializes saves on a lock row per product (it failed
    concurrent saves): its table goes."""
    cr.execute(SQL("DROP TABLE IF EXISTS customer_need_detection_lock"))
