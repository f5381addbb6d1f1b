from odoo.addons.kpi_motivation.models.kpi_report import UNTAXED_MARGIN


def uninstall_hook(env):
    """Give kpi_motivation its own view back before this bridge goes: the view reads
    ``sale_order.margin``, a column of sale_margin, which may be uninstalled next (the
    registry still has this bridge's ``_margin_sql`` here, hence the explicit margin)."""
    report = env["kpi.report"]
    report._create_view(report._query(margin=UNTAXED_MARGIN))
