"""Regional routing deals round-robin leads through crm_lead_turn: the team's pointer
to the last routed salesperson (``crm_team.region_last_user_id``) is gone. Its column
(and its foreign key with it) is dropped; the field's registration goes with the
module's update."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists


def migrate(cr, version):
    if not version or not column_exists(cr, "crm_team", "region_last_user_id"):
        return
    cr.execute(
        SQL(
            "ALTER TABLE %s DROP COLUMN %s",
            SQL.identifier("crm_team"),
            SQL.identifier("region_last_user_id"),
        )
    )
