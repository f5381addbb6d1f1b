from odoo import fields

# Existing manufacturing orders join the funnel at install in the stage matching their state.
STATE_STAGES = {
    "draft": "production_funnel.stage_waiting_spec",
    "confirmed": "production_funnel.stage_waiting_spec",
    "progress": "production_funnel.stage_assembly",
    "to_close": "production_funnel.stage_quality",
    "done": "production_funnel.stage_shipped",
}


def post_init_hook(env):
    """Place the manufacturing orders that exist at install in the funnel."""
    productions = (
        env["mrp.production"]
        .with_context(tracking_disable=True, active_test=False)
        .search([("funnel_stage_id", "=", False), ("state", "in", list(STATE_STAGES))])
    )
    now = fields.Datetime.now()
    for state, xmlid in STATE_STAGES.items():
        stage = env.ref(xmlid, raise_if_not_found=False)
        batch = productions.filtered(lambda p, state=state: p.state == state)
        if stage and batch:
            batch.write({"funnel_stage_id": stage.id, "sla_stage_date": now})


def uninstall_hook(env):
    """Empty the orders' funnel stage, so that the stages can be removed (the orders
    restrict their deletion): the column is the module's own and goes with it right
    after, so no tracking message is written for it. The load report's view and the
    module's columns on the work orders Odoo drops itself with the module's models and
    fields."""
    env.cr.execute("UPDATE mrp_production SET funnel_stage_id = NULL")
