"""What the stored planned hours of the load report are computed from (no model here:
the models that import it must not change the order in which Odoo sets up the models)."""

# what the planned hours are computed from, per model (see ``_planned_query``)
PLANNED_DEPENDS = {
    "mrp.workorder": [
        "state",
        "duration_expected",
        "date_start",
        "date_finished",
        "workcenter_id",
        "production_id",
    ],
    "mrp.production": ["state", "date_start"],
    "mrp.workcenter": ["production_line_id"],
    "production.line": ["active", "company_id"],
    "res.company": ["resource_calendar_id"],
    "resource.calendar": ["tz"],
}


def writes_planned_fields(model_name, vals_list):
    """Whether these ``_write_multi`` values of ``model_name`` touch a field the planned
    hours are computed from (``PLANNED_DEPENDS``)."""
    names = PLANNED_DEPENDS[model_name]
    return any(name in vals for vals in vals_list for name in names)
