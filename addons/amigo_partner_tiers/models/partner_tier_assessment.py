from odoo import api, fields, models
from odoo.tools import SQL

POTENTIAL = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
MOVEMENT = [("new", "New"), ("up", "Up"), ("same", "Same"), ("down", "Down")]


class PartnerTierAssessment(models.Model):
    _name = "partner.tier.assessment"
    _description = "Partner Tier Assessment"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    _check_company_auto = True

    # history: what an assessment refers to cannot be deleted (archive it instead)
    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="restrict", index=True, readonly=True,
        check_company=True,
    )  # fmt: skip
    company_id = fields.Many2one(
        "res.company", required=True, ondelete="restrict", index=True, readonly=True
    )
    # stored, set by the engine: monetary values are rounded at insert with their currency,
    # and a related currency would be computed once per record and field
    currency_id = fields.Many2one("res.currency", required=True, ondelete="restrict", readonly=True)
    policy_id = fields.Many2one(
        "partner.tier.policy", ondelete="restrict", readonly=True, check_company=True
    )
    user_id = fields.Many2one(
        "res.users", "Partner Manager", ondelete="restrict", readonly=True,
        help="The partner's salesperson then.",
    )  # fmt: skip
    date = fields.Date(required=True, index=True, readonly=True)
    period_start = fields.Date(readonly=True)
    sales_volume = fields.Monetary(readonly=True)
    sales_volume_previous = fields.Monetary("Sales Volume a Year Before", readonly=True)
    sales_trend = fields.Float("Sales Trend (%)", readonly=True, aggregator="avg")
    margin = fields.Monetary(readonly=True)
    high_margin_volume = fields.Monetary(readonly=True)
    high_margin_share = fields.Float("High-Margin Share (%)", readonly=True, aggregator="avg")
    estimated_purchase_volume = fields.Monetary(readonly=True)
    wallet_share = fields.Float("Wallet Share (%)", readonly=True, aggregator="avg")
    has_wallet_share = fields.Boolean(readonly=True)
    matrix_coverage = fields.Float("Matrix Coverage (%)", readonly=True, aggregator="avg")
    score = fields.Float(readonly=True, aggregator="avg")
    tier_id = fields.Many2one(
        "partner.tier", required=True, ondelete="restrict", readonly=True, index=True
    )
    tier_code = fields.Selection(related="tier_id.code")
    previous_tier_id = fields.Many2one("partner.tier", ondelete="restrict", readonly=True)
    movement = fields.Selection(MOVEMENT, readonly=True)
    potential = fields.Selection(POTENTIAL, readonly=True)

    _sql_constraints = [
        (
            "partner_company_date_uniq",
            "unique(partner_id, company_id, date)",
            "A partner has one tier assessment per company and day: re-assessing it the same "
            "day updates that assessment.",
        ),
    ]

    def init(self):
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS partner_tier_assessment_partner_date_idx "
            "ON partner_tier_assessment (partner_id, company_id, date DESC, id DESC)"
        )
        # a partner's latest assessment in any company (``_latest_by_partner``)
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS partner_tier_assessment_partner_latest_idx "
            "ON partner_tier_assessment (partner_id, date DESC, id DESC)"
        )

    @api.model
    def _latest_by_partner(self, partner_ids):
        """{partner id: its latest assessment (by date, then id), in any company}, in one
        read for any number of partners (one index probe each)."""
        partner_ids = [pid for pid in partner_ids if pid]
        if not partner_ids:
            return {}
        self.flush_model(["partner_id", "date"])
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, a.id
                  FROM unnest(%s::int[]) AS p(id)
                  CROSS JOIN LATERAL (
                        SELECT id FROM partner_tier_assessment
                         WHERE partner_id = p.id
                         ORDER BY date DESC, id DESC
                         LIMIT 1) a
                """,
                partner_ids,
            )
        )
        return {partner_id: self.browse(aid) for partner_id, aid in self.env.cr.fetchall()}
