from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    """Matches gain a likelihood and are notified once a save finds them likely: the
    matches of the versions before were all notified when found (no second notice), and
    the open needs with matches get their likelihood (a detection run: what no longer
    reaches the threshold is listed as the same composition elsewhere)."""
    cr.execute(SQL("UPDATE customer_need_match SET notified = TRUE WHERE notified IS NOT TRUE"))
    env = api.Environment(cr, SUPERUSER_ID, {})
    needs = env["customer.need"].search([("state", "=", "open"), ("match_ids", "!=", False)])
    needs._detect_duplicates()
