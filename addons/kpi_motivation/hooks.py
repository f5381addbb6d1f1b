from odoo.tools import SQL

# indexes the scores' queries need on tables of core (``motivation.score.init``): Odoo
# drops the addon's own tables and views at uninstall, not these
CORE_TABLE_INDEXES = ("mail_message_kpi_activity_done_idx", "mail_tracking_value_kpi_field_idx")


def uninstall_hook(env):
    """Remove the scores before Odoo removes the module's records: they are computed, their
    table goes with the module, and they would keep the schemes and the managers they
    refer to (demo users included) from being removed. Drop the indexes the addon created
    on core tables."""
    env.cr.execute("DELETE FROM motivation_score")
    for index in CORE_TABLE_INDEXES:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(index)))
