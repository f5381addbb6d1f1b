from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class ClaimDashboard(models.TransientModel):
    """Head-of-department view: overdue share, time to close, human factor vs tolerance."""

    _name = "claim.dashboard"
    _description = "Claims Dashboard"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(string="Registered From")
    date_to = fields.Date(string="Registered To")
    claim_count = fields.Integer(string="Claims", compute="_compute_figures")
    open_count = fields.Integer(string="Open Claims", compute="_compute_figures")
    overdue_count = fields.Integer(string="Overdue Claims", compute="_compute_figures")
    overdue_share = fields.Float(string="Overdue Share (%)", compute="_compute_figures")
    closed_count = fields.Integer(string="Closed Claims", compute="_compute_figures")
    rejected_count = fields.Integer(string="Rejected Claims", compute="_compute_figures")
    avg_close_hours = fields.Float(string="Hours to Close (avg)", compute="_compute_figures")
    p90_close_hours = fields.Float(
        string="Hours to Close (90th percentile)", compute="_compute_figures"
    )
    human_count = fields.Integer(string="Human-Factor Claims", compute="_compute_figures")
    human_share = fields.Float(string="Human-Factor Share (%)", compute="_compute_figures")
    human_tolerance = fields.Float(
        string="Tolerance (%)", related="company_id.claim_human_tolerance"
    )
    tolerance_status = fields.Selection(
        [
            ("no_data", "No closed claims yet"),
            ("within", "Within tolerance"),
            ("review", "Process review needed"),
        ],
        string="Human Factor",
        compute="_compute_figures",
    )

    def _claim_domain(self):
        self.ensure_one()
        domain = [("is_claim", "=", True), ("company_id", "=", self.company_id.id)]
        if self.date_from:
            domain.append(("create_date", ">=", fields.Datetime.to_datetime(self.date_from)))
        if self.date_to:
            end = fields.Datetime.to_datetime(self.date_to) + timedelta(days=1)
            domain.append(("create_date", "<", end))
        return domain

    @api.depends("company_id", "date_from", "date_to", "company_id.claim_human_tolerance")
    def _compute_figures(self):
        Ticket = self.env["helpdesk.ticket"]
        for board in self:
            domain = board._claim_domain()
            by_state = Ticket._read_group(
                domain,
                ["stage_id", "is_stalled"],
                ["__count"],
            )
            total = open_ = overdue = closed = rejected = 0
            for stage, stalled, count in by_state:
                total += count
                if stage.closed and stage.claim_rejection:
                    rejected += count
                elif stage.closed:
                    closed += count
                else:
                    open_ += count
                    overdue += count if stalled else 0
            closed_domain = domain + [
                ("stage_id.closed", "=", True),
                ("stage_id.claim_rejection", "=", False),
            ]
            by_category = Ticket._read_group(
                closed_domain, ["cause_category"], ["__count", "claim_close_hours:sum"]
            )
            hours = sum(row[2] for row in by_category)
            with_cause = sum(row[1] for row in by_category if row[0])
            human = sum(row[1] for row in by_category if row[0] == "human")
            board.claim_count = total
            board.open_count = open_
            board.overdue_count = overdue
            board.overdue_share = 100.0 * overdue / open_ if open_ else 0.0
            board.closed_count = closed
            board.rejected_count = rejected
            board.avg_close_hours = hours / closed if closed else 0.0
            board.p90_close_hours = board._close_hours_percentile(closed_domain, 0.9)
            board.human_count = human
            board.human_share = 100.0 * human / with_cause if with_cause else 0.0
            if not with_cause:
                board.tolerance_status = "no_data"
            elif board.human_share <= board.company_id.claim_human_tolerance:
                board.tolerance_status = "within"
            else:
                board.tolerance_status = "review"

    def _close_hours_percentile(self, domain, fraction):
        """One SQL: the percentile of the hours to close over the claims of the domain."""
        Ticket = self.env["helpdesk.ticket"]
        query = Ticket._search(domain)
        self.env.cr.execute(
            query.select(
                SQL(
                    "percentile_cont(%s) WITHIN GROUP (ORDER BY %s)",
                    fraction,
                    Ticket._field_to_sql(Ticket._table, "claim_close_hours", query),
                )
            )
        )
        row = self.env.cr.fetchone()
        return row[0] or 0.0 if row else 0.0

    def action_open_analysis(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("claims.claim_analysis_action")
        action["domain"] = [("company_id", "=", self.company_id.id)]
        return action
