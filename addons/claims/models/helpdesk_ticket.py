import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    # the SLA mixin first: it derives from mail.thread and mail.activity.mixin, which
    # helpdesk.ticket already inherits (a consistent method resolution order needs the
    # more specific class first)
    _inherit = ["funnel.sla.mixin", "helpdesk.ticket"]
    # the order, the cause (and the production side of the bridge) of a claim belong to
    # its company: enforce the check_company of those fields on every write, not only in
    # the form's domains
    _check_company_auto = True

    # ------------------------------------------------------------ fields
    is_claim = fields.Boolean(
        string="Claim",
        compute="_compute_is_claim",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="The ticket is a claim of the claims team.",
    )
    stage_id = fields.Many2one(
        domain="[('is_claim_stage', '=', is_claim), "
        "'|', ('team_ids', '=', team_id), ('team_ids', '=', False)]",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sale Order",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('state', '=', 'sale')]",
    )
    claim_product_ids = fields.Many2many(
        "product.product",
        string="Products of the Order",
        compute="_compute_claim_product_ids",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Product",
        index="btree_not_null",
        tracking=True,
        domain="[('id', 'in', claim_product_ids)]",
    )
    lot_name = fields.Char(
        string="Lot / Production Order",
        tracking=True,
        help="Lot, serial or production order reference of the claimed goods, where known.",
    )
    claim_quantity = fields.Float(
        string="Quantity Affected",
        digits="Product Unit of Measure",
        tracking=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    claim_cost = fields.Monetary(
        currency_field="currency_id",
        groups="base.group_user",
        tracking=True,
        help="What the claim costs the company: remedy, replacement, transport.",
    )
    # The investigation is internal judgement: the customer reads the conclusion (or the
    # rejection reason) on the portal page once the claim is closed, never the cause nor a
    # draft over RPC.
    claim_cause_id = fields.Many2one(
        "claim.cause",
        string="Cause",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        groups="base.group_user",
    )
    cause_category = fields.Selection(
        related="claim_cause_id.category",
        store=True,
        string="Cause Category",
        groups="base.group_user",
    )
    conclusion = fields.Text(tracking=True, groups="base.group_user")
    # internal follow-up of the claim: not for the customer's eyes
    corrective_action = fields.Text(tracking=True, groups="base.group_user")
    corrective_user_id = fields.Many2one(
        "res.users",
        groups="base.group_user",
        string="Corrective Action Responsible",
        tracking=True,
        domain="[('share', '=', False)]",
    )
    corrective_date = fields.Date(
        string="Corrective Action Due", tracking=True, groups="base.group_user"
    )
    rejection_reason = fields.Text(tracking=True, groups="base.group_user")
    claim_rejected = fields.Boolean(related="stage_id.claim_rejection", string="Rejected")
    claim_close_hours = fields.Float(
        string="Hours to Close",
        compute="_compute_claim_close_hours",
        store=True,
        aggregator="avg",
        help="Calendar hours from registration to closing.",
    )

    # ------------------------------------------------------------ computes
    @api.depends("team_id")
    def _compute_is_claim(self):
        for ticket in self:
            ticket.is_claim = ticket.team_id.is_claim_team

    @api.depends("sale_order_id")
    def _compute_claim_product_ids(self):
        for ticket in self:
            ticket.claim_product_ids = ticket.sale_order_id.order_line.filtered(
                lambda line: not line.display_type
            ).product_id

    @api.depends("closed_date", "create_date")
    def _compute_claim_close_hours(self):
        for ticket in self:
            if ticket.closed_date and ticket.create_date:
                delta = ticket.closed_date - ticket.create_date
                ticket.claim_close_hours = max(delta.total_seconds() / 3600, 0.0)
            else:
                ticket.claim_close_hours = 0.0

    # --------------------------------------------------------- constraints
    _CLAIM_ORDER_FIELDS = ("sale_order_id", "product_id", "claim_quantity")
    _CLAIM_CLOSING_FIELDS = (
        "stage_id",
        "claim_cause_id",
        "conclusion",
        "corrective_action",
        "corrective_user_id",
        "corrective_date",
        "rejection_reason",
    )

    @api.constrains(*_CLAIM_ORDER_FIELDS)
    def _check_claim_order_product(self):
        for ticket in self.filtered("is_claim"):
            ticket._claim_check_order_product(ticket._claim_getter())

    @api.constrains(*_CLAIM_CLOSING_FIELDS)
    def _check_claim_closing(self):
        for ticket in self.filtered("is_claim"):
            get = ticket._claim_getter()
            # first the stage itself: a claim closes only in a claims stage of its team
            ticket._claim_check_stage(get)
            ticket._claim_check_closing(get)

    @api.constrains("is_claim", "stage_id", "team_id", "company_id")
    def _check_claim_stage(self):
        for ticket in self.filtered("is_claim"):
            ticket._claim_check_stage(ticket._claim_getter())

    # ------------------------------------------------------------ onchange
    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        order = self.sale_order_id
        if not order:
            return
        if order.partner_id and not self.partner_id:
            self.partner_id = order.partner_id
        if self.product_id and self.product_id not in self.claim_product_ids:
            self.product_id = False
        if not self.product_id and len(self.claim_product_ids) == 1:
            self.product_id = self.claim_product_ids

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id and self.sale_order_id and not self.claim_quantity:
            lines = self.sale_order_id.order_line.filtered(
                lambda line: line.product_id == self.product_id
            )
            self.claim_quantity = sum(lines.mapped("product_uom_qty"))

    # ---------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        Team = self.env["helpdesk.ticket.team"]
        for vals in vals_list:
            # before the insert: a NaN or infinite float cannot even be stored as a number
            self._claim_check_quantity_is_finite(vals.get("claim_quantity"))
            is_claim = vals.get("is_claim", self.env.context.get("default_is_claim"))
            if is_claim and not vals.get("team_id"):
                company_id = vals.get("company_id") or self.env.company.id
                team = Team._claim_team_for_company(company_id)
                if team:
                    vals["team_id"] = team.id
            if vals.get("team_id") and "stage_id" not in vals:
                team = Team.browse(vals["team_id"])
                if team.is_claim_team:
                    stage = team._get_applicable_stages().filtered("is_claim_stage")[:1]
                    if stage:
                        vals["stage_id"] = stage.id
        tickets = super().create(vals_list)
        # helpdesk_mgmt dates the closing on write only: a claim registered directly in a
        # closed stage (import, script) is closed now
        tickets.filtered(lambda t: t.is_claim and t.stage_id.closed and not t.closed_date).write(
            {"closed_date": fields.Datetime.now()}
        )
        return tickets

    def write(self, vals):
        self._claim_check_quantity_is_finite(vals.get("claim_quantity"))
        # Check before writing, so that a refused change leaves the claim as it was even
        # within the same transaction (the constraints above guard the rest).
        checked = set(self._CLAIM_ORDER_FIELDS + self._CLAIM_CLOSING_FIELDS)
        if set(vals) & (checked | {"is_claim", "company_id"}):
            # the stage as it will be: written, or kept (a new team recomputes it among the
            # team's stages, which the constraint checks once done)
            stage_known = "stage_id" in vals or "team_id" not in vals
            for ticket in self:
                get = ticket._claim_getter(vals)
                if not get("is_claim"):
                    continue
                if set(vals) & set(self._CLAIM_ORDER_FIELDS):
                    ticket._claim_check_order_product(get)
                if stage_known:
                    ticket._claim_check_stage(get)
                if set(vals) & checked:
                    ticket._claim_check_closing(get)
        return super().write(vals)

    # ------------------------------------------------------------- helpers
    def _claim_getter(self, vals=None):
        """get(field name) -> the value the claim has, or will have once vals are written."""
        self.ensure_one()
        vals = vals or {}

        def get(name):
            if name == "is_claim" and "is_claim" not in vals and vals.get("team_id"):
                return self.env["helpdesk.ticket.team"].browse(vals["team_id"]).is_claim_team
            if name not in vals:
                return self[name]
            field = self._fields[name]
            if field.type == "many2one":
                return self.env[field.comodel_name].browse(vals[name] or [])
            return vals[name]

        return get

    @api.model
    def _claim_check_quantity_is_finite(self, quantity):
        """Refuse a quantity that is not a number (NaN) or is infinite."""
        if isinstance(quantity, float) and not math.isfinite(quantity):
            raise ValidationError(
                self.env._("The quantity affected must be a number, not %(qty)s.", qty=quantity)
            )

    def _claim_check_order_product(self, get):
        """Refuse a product outside the order or a quantity it does not hold."""
        order, product, quantity = get("sale_order_id"), get("product_id"), get("claim_quantity")
        self._claim_check_quantity_is_finite(quantity)
        if (quantity or 0.0) < 0:
            raise ValidationError(
                self.env._(
                    "Claim %(claim)s: the quantity affected cannot be negative.",
                    claim=self.display_name,
                )
            )
        if not product:
            return
        if not order:
            raise ValidationError(
                self.env._(
                    "Claim %(claim)s: choose the sale order before the product.",
                    claim=self.display_name,
                )
            )
        lines = order.order_line.filtered(lambda line: line.product_id == product)
        if not lines:
            raise ValidationError(
                self.env._(
                    "Claim %(claim)s: the product %(product)s is not in the sale order %(order)s.",
                    claim=self.display_name,
                    product=product.display_name,
                    order=order.name,
                )
            )
        ordered = sum(lines.mapped("product_uom_qty"))
        if (quantity or 0.0) > ordered:
            raise ValidationError(
                self.env._(
                    "Claim %(claim)s: the quantity affected (%(qty)s) exceeds the quantity "
                    "of %(product)s ordered in %(order)s (%(ordered)s).",
                    claim=self.display_name,
                    qty=quantity,
                    product=product.display_name,
                    order=order.name,
                    ordered=ordered,
                )
            )

    def _claim_stage_allowed(self, stage, team, company):
        """Whether a claim of ``team`` and ``company`` may be in ``stage``: a claims stage
        of that team (or of no team in particular) and of that company (or shared)."""
        return bool(
            stage.is_claim_stage
            and (not stage.team_ids or team in stage.team_ids)
            and (not stage.company_id or stage.company_id == company)
        )

    def _claim_check_stage(self, get):
        """A claim only ever moves through the claims stages of its team."""
        stage, team = get("stage_id"), get("team_id")
        if stage and not self._claim_stage_allowed(stage, team, get("company_id")):
            raise ValidationError(
                self.env._(
                    "Claim %(claim)s cannot be moved to %(stage)s: a claim moves only through "
                    "the claims stages of its team (%(team)s).",
                    claim=self.display_name,
                    stage=stage.name,
                    team=team.name or self.env._("no team"),
                )
            )

    def _claim_check_closing(self, get):
        """Refuse a closed stage without what it requires, naming what is missing."""
        stage = get("stage_id")
        if not stage.closed:
            return
        if not stage.is_claim_stage:
            # a claim is closed only in a claims stage, never in a helpdesk one
            self._claim_check_stage(get)
        missing = self._claim_missing_for_closing(get)
        if missing:
            raise ValidationError(
                self.env._(
                    "Claim %(claim)s cannot be moved to %(stage)s: missing %(missing)s.",
                    claim=self.display_name,
                    stage=stage.name,
                    missing=", ".join(missing),
                )
            )

    def _claim_missing_for_closing(self, get=None):
        """Labels of the fields this claim still needs in its (closed) stage."""
        self.ensure_one()
        get = get or self._claim_getter()

        def label(name):
            return self._fields[name].get_description(self.env)["string"]

        if get("stage_id").claim_rejection:
            return [] if (get("rejection_reason") or "").strip() else [label("rejection_reason")]
        required = ["claim_cause_id", "conclusion"]
        if get("claim_cause_id").category == "process":
            required += ["corrective_action", "corrective_user_id", "corrective_date"]
        missing = []
        for name in required:
            value = get(name)
            if not value or (isinstance(value, str) and not value.strip()):
                missing.append(label(name))
        return missing

    def _portal_close_stages(self):
        """The stages the customer may close this ticket in from the portal: closed stages
        flagged for the portal among those of its team; for a claim, only claims stages
        of its team. Empty once the ticket is closed."""
        self.ensure_one()
        if self.closed:
            return self.env["helpdesk.ticket.stage"]
        stages = self.team_id._get_applicable_stages().filtered(
            lambda stage: stage.closed and stage.close_from_portal
        )
        if self.is_claim:
            stages = stages.filtered(
                lambda stage: self._claim_stage_allowed(stage, self.team_id, self.company_id)
            )
        return stages

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        if self.env.context.get("default_is_claim"):
            return stages.search(["|", ("id", "in", stages.ids), ("is_claim_stage", "=", True)])
        return super()._read_group_stage_ids(stages, domain)

    # ---------------------------------------------------------- funnel SLA
    def _sla_domain(self):
        return [("is_claim", "=", True)]

    def _sla_escalation_users(self):
        """The team leader of the claim's team is told when a stall passes its limit."""
        return {
            ticket.id: ticket.team_id.user_id
            for ticket in self
            if ticket.team_id.user_id and ticket.team_id.user_id.active
        }
