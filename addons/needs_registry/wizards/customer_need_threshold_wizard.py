from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..models.customer_need import LIKELIHOOD_PARAM


class CustomerNeedThresholdWizard(models.TransientModel):
    """The head of sales tunes from which likelihood a possible duplicate is notified,
    seeing what each value would have notified over the last days."""

    _name = "customer.need.threshold.wizard"
    _description = "Notification Threshold of Possible Duplicates"

    likelihood_threshold = fields.Float(
        string="Notify From",
        required=True,
        default=lambda self: self.env["customer.need"]._get_likelihood_threshold(),
        help="A match whose likelihood of being the same end customer's demand reaches this "
        "value is notified to the managers concerned and the heads of sales; below it, it "
        "is listed on the need as the same composition elsewhere.",
    )
    current_threshold = fields.Float(
        string="In Force",
        readonly=True,
        default=lambda self: self.env["customer.need"]._get_likelihood_threshold(),
    )
    days = fields.Integer(string="Over the Last (Days)", required=True, default=90)
    match_count = fields.Integer(string="Matches Found", compute="_compute_counts")
    notify_count = fields.Integer(string="Would Notify", compute="_compute_counts")
    current_notify_count = fields.Integer(
        string="Notified at the Threshold in Force", compute="_compute_counts"
    )

    @api.depends("likelihood_threshold", "days")
    def _compute_counts(self):
        """Pairs found over the period (a pair of two needs once), read in the companies
        of the company switcher, as the head of sales reads every need of them."""
        for wizard in self:
            self.env.cr.execute(
                SQL(
                    """
                SELECT count(*),
                       count(*) FILTER (WHERE likelihood >= %(threshold)s),
                       count(*) FILTER (WHERE likelihood >= %(current)s)
                  FROM customer_need_match
                 WHERE company_id = ANY(%(companies)s) AND create_date >= %(since)s
                   AND (matched_order_id IS NOT NULL OR need_id < matched_need_id)
                """,
                    threshold=round(wizard.likelihood_threshold, 2),
                    current=round(wizard.current_threshold, 2),
                    companies=self.env.companies.ids,
                    since=wizard._since(),
                )
            )
            wizard.match_count, wizard.notify_count, wizard.current_notify_count = (
                self.env.cr.fetchone()
            )

    @api.constrains("likelihood_threshold", "days")
    def _check_values(self):
        for wizard in self:
            if not 0 <= wizard.likelihood_threshold <= 1:
                raise ValidationError(
                    self.env._("The field 'Notify From' must be between 0% and 100%.")
                )
            if wizard.days < 1:
                raise ValidationError(
                    self.env._("The field 'Over the Last (Days)' must be at least 1.")
                )

    def _since(self):
        self.ensure_one()
        return fields.Datetime.now() - timedelta(days=max(self.days, 1))

    def action_show_matches(self):
        """The matches of the period this threshold would have notified."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "needs_registry.customer_need_match_action"
        )
        action.update(
            {
                "name": self.env._(
                    "Notified from %(threshold)s%%",
                    threshold=round(self.likelihood_threshold * 100),
                ),
                "domain": [
                    ("likelihood", ">=", round(self.likelihood_threshold, 2)),
                    ("create_date", ">=", self._since()),
                ],
                "context": {},
                "target": "current",
            }
        )
        return action

    def action_apply(self):
        """Make this the threshold in force (the head of sales' decision)."""
        self.ensure_one()
        if not self.env.user.has_group("needs_registry.group_need_manager"):
            raise AccessError(
                self.env._("Only a head of sales may change the notification threshold.")
            )
        self._check_values()
        # the setting is a system parameter: written as sudo once the group is checked
        self.env["ir.config_parameter"].sudo().set_param(
            LIKELIHOOD_PARAM, str(round(self.likelihood_threshold, 2))
        )
        return {"type": "ir.actions.act_window_close"}
