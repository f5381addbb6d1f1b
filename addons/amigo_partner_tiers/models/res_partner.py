from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

TIER_GROUP = "amigo_partner_tiers.group_tier_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # internal judgement: partner managers only (a dealer reads its own partner record on
    # the portal and over RPC, never how we rate it)
    last_assessment_id = fields.Many2one(
        "partner.tier.assessment", "Last Assessment", compute="_compute_last_assessment_id",
        store=True, readonly=True, copy=False, index="btree_not_null", ondelete="set null",
        groups=TIER_GROUP,
        help="The partner's latest tier assessment (in any company): the tier and the "
        "indicators shown on the partner are its own.",
    )  # fmt: skip
    # the tier is kept on the partner (kept by the ORM from the last assessment): tracked
    # in the chatter when it changes, indexed for the filters and groupings of 11,000
    # partners; the indicators are read from the assessment, stored once
    tier_id = fields.Many2one(
        "partner.tier", "Tier", related="last_assessment_id.tier_id", store=True,
        readonly=True, tracking=True, index=True, copy=False, groups=TIER_GROUP,
    )  # fmt: skip
    tier_code = fields.Selection(related="tier_id.code", string="Tier Code", groups=TIER_GROUP)
    tier_score = fields.Float(
        "Tier Score", related="last_assessment_id.score", aggregator="avg", groups=TIER_GROUP
    )
    tier_sales_volume = fields.Monetary(
        "Sales Volume (tier period)", related="last_assessment_id.sales_volume",
        currency_field="tier_currency_id", groups=TIER_GROUP,
    )  # fmt: skip
    tier_sales_trend = fields.Float(
        "Sales Trend (%)", related="last_assessment_id.sales_trend", aggregator="avg",
        groups=TIER_GROUP,
    )  # fmt: skip
    tier_high_margin_share = fields.Float(
        "High-Margin Share (%)", related="last_assessment_id.high_margin_share",
        aggregator="avg", groups=TIER_GROUP,
    )  # fmt: skip
    tier_wallet_share = fields.Float(
        "Wallet Share (%)", related="last_assessment_id.wallet_share", aggregator="avg",
        groups=TIER_GROUP,
    )  # fmt: skip
    tier_has_wallet_share = fields.Boolean(
        "Has Wallet Share", related="last_assessment_id.has_wallet_share", groups=TIER_GROUP
    )
    tier_matrix_coverage = fields.Float(
        "Matrix Coverage (%)", related="last_assessment_id.matrix_coverage", aggregator="avg",
        groups=TIER_GROUP,
    )  # fmt: skip
    tier_potential = fields.Selection(
        string="Potential", related="last_assessment_id.potential", groups=TIER_GROUP
    )
    tier_assessment_date = fields.Date(
        "Assessed On", related="last_assessment_id.date", groups=TIER_GROUP
    )
    tier_currency_id = fields.Many2one(
        "res.currency", compute="_compute_tier_currency_id", string="Tier Currency"
    )
    estimated_purchase_volume = fields.Monetary(
        currency_field="tier_currency_id",
        tracking=True,
        groups=TIER_GROUP,
        help="The partner's estimated total purchases in our category over the tier "
        "policy's period (12 months by default), kept by the partner manager. Empty or 0: "
        "no wallet share.",
    )
    assortment_matrix_id = fields.Many2one(
        "assortment.matrix",
        "Assortment Matrix",
        compute="_compute_assortment_matrix_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        groups=TIER_GROUP,
    )
    tier_assessment_ids = fields.One2many(
        "partner.tier.assessment", "partner_id", "Tier Assessments", groups=TIER_GROUP
    )
    tier_assessment_count = fields.Integer(
        compute="_compute_tier_assessment_count", groups=TIER_GROUP
    )
    development_program = fields.Many2one(
        "partner.development.program", "Development Programme", tracking=True, index=True
    )
    development_stage_id = fields.Many2one(
        "partner.development.stage",
        "Development Stage",
        tracking=True,
        group_expand="_read_group_development_stage_ids",
        domain="[('program_ids', 'in', development_program)]",
    )

    def _compute_tier_currency_id(self):
        for partner in self:
            partner.tier_currency_id = (partner.company_id or self.env.company).currency_id

    @api.depends("tier_assessment_ids")
    def _compute_last_assessment_id(self):
        latest = self.env["partner.tier.assessment"]._latest_by_partner(self._origin.ids)
        for partner in self:
            partner.last_assessment_id = latest.get(partner._origin.id, False)

    @api.depends("category_id")
    def _compute_assortment_matrix_id(self):
        matrices = self.env["assortment.matrix"].search([("segment_category_id", "!=", False)])
        by_category = {m.segment_category_id.id: m for m in matrices}
        for partner in self:
            if partner.assortment_matrix_id:
                continue
            partner.assortment_matrix_id = next(
                (by_category[c.id] for c in partner.category_id if c.id in by_category), False
            )

    def _compute_tier_assessment_count(self):
        counts = dict(
            self.env["partner.tier.assessment"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.tier_assessment_count = counts.get(partner, 0)

    @api.model
    def _read_group_development_stage_ids(self, stages, domain):
        program_id = self.env.context.get("development_program_id")
        if program_id:
            return stages.search([("program_ids", "in", [program_id])])
        return stages.search([])

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_recompute_tier(self):
        """Re-assess these partners (their commercial entities) now, each in its company
        (shared partners in the current company)."""
        partners = self.commercial_partner_id
        if not partners:
            return True
        # only partner managers who may edit the partners may re-assess them
        if not self.env.user.has_group("amigo_partner_tiers.group_tier_user"):
            raise AccessError(_("Only partner managers may re-assess partner tiers."))
        partners.check_access("write")
        by_company = defaultdict(list)
        for partner in partners:
            by_company[partner.company_id or self.env.company].append(partner.id)
        Policy = self.env["partner.tier.policy"]
        for company, partner_ids in by_company.items():
            policy = Policy._for_company(company)
            if not policy:
                raise UserError(
                    _("There is no tier policy for the company %(company)s.", company=company.name)
                )
            # sudo: the assessment history is written by the engine only; the access to the
            # partners was checked above
            policy.sudo().with_company(company)._assess(company, partner_ids)
        return True

    def action_view_tier_assessments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amigo_partner_tiers.action_partner_tier_assessment"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_by_company": 0}
        return action
