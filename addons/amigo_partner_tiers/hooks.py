def uninstall_hook(env):
    """Remove the assessment history before Odoo removes the module's records: it is
    computed, its table goes with the module, and it would keep the tiers it refers to
    from being removed."""
    env.cr.execute("DELETE FROM partner_tier_assessment")
