def uninstall_hook(env):
    """Remove the assessment history before Odoo removes the module's records.

    The history refers to tiers, policies, partners, users and companies with
    ``ondelete="restrict"`` (it must survive their deletion in use), which would keep Odoo
    from removing the module's tiers, policy and demo partners; its table goes with the
    module anyway. Everything else the addon creates goes with Odoo's own uninstall: its
    tables with their indexes (the unique index on ``lower(value)`` of
    ``crm_region_mapping`` and the history's index included), its columns on core tables
    with their indexes, the relation table of teams and regions. It creates no function,
    trigger nor index on a table it does not own.
    """
    env.cr.execute("DELETE FROM partner_tier_assessment")
