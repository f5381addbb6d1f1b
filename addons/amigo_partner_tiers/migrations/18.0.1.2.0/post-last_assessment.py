"""Partners point at their latest assessment (``res_partner.last_assessment_id``) and read
their indicators through it, instead of a copy written by hand on nine columns.

The pointer is set through the ORM, set-based: the partners with an assessment are
marked for computation, computed in batches (one read of the latest assessments per
batch) and written in batches; their tier, kept by the ORM from the assessment, is not
tracked again (it is the one they have). The copies of the indicators are then dropped:
the addon created those columns and no longer uses them; the assessments hold the
figures."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import column_exists

OBSOLETE_COLUMNS = (
    "tier_score",
    "tier_sales_volume",
    "tier_sales_trend",
    "tier_high_margin_share",
    "tier_wallet_share",
    "tier_has_wallet_share",
    "tier_matrix_coverage",
    "tier_potential",
    "tier_assessment_date",
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    partners = (
        env["res.partner"]
        .with_context(active_test=False, tracking_disable=True)
        .search([("tier_assessment_ids", "!=", False)])
    )
    env.add_to_compute(partners._fields["last_assessment_id"], partners)
    partners.flush_recordset(["last_assessment_id", "tier_id"])
    for column in OBSOLETE_COLUMNS:
        if column_exists(cr, "res_partner", column):
            cr.execute(
                SQL(
                    "ALTER TABLE %s DROP COLUMN %s",
                    SQL.identifier("res_partner"),
                    SQL.identifier(column),
                )
            )
