from odoo.tools import sql

from .models.motivation_score import CORE_TABLE_INDEXES


def uninstall_hook(env):
    """Remove the scores before Odoo removes the module's records: they are computed, their
    table goes with the module, and they would keep the schemes and the managers they
    refer to (demo users included) from being removed. Drop the indexes the addon created
    on core tables (``CORE_TABLE_INDEXES``: Odoo drops the addon's own tables and views at
    uninstall, not these)."""
    env.cr.execute("DELETE FROM motivation_score")
    for name, table, _columns, _where in CORE_TABLE_INDEXES:
        sql.drop_index(env.cr, name, table)
