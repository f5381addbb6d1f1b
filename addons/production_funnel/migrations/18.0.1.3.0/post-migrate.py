"""18.0.1.3.0: the daily action that recomputed the stored planned hours of every line
is gone with them. It was loaded as "noupdate" data, which an update leaves in place:
remove it (and its server action) here, or it would call a method that no longer
exists every day."""

from odoo import SUPERUSER_ID, api

OLD_CRON = "production_funnel.ir_cron_refresh_planned_load"


def remove_planned_cron(env):
    cron = env.ref(OLD_CRON, raise_if_not_found=False)
    if cron:
        action = cron.ir_actions_server_id
        cron.unlink()
        action.unlink()


def migrate(cr, version):
    if version:
        remove_planned_cron(api.Environment(cr, SUPERUSER_ID, {}))
