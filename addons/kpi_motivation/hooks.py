def uninstall_hook(env):
    """Remove the scores before Odoo removes the module's records: they are computed, their
    table goes with the module, and they would keep the schemes and the managers they
    refer to (demo users included) from being removed."""
    env.cr.execute("DELETE FROM motivation_score")
