from odoo import api, fields, models
from odoo.exceptions import ValidationError

SPEC_FIELDS = ("spec_width", "spec_height", "spec_fabric", "spec_color", "spec_mechanism")
# what the SLA check writes on a batch of orders, and the chunk it writes them in
SLA_FLAGS = frozenset(("is_stalled", "is_sla_escalated"))
SLA_FLAGS_CHUNK = 50


class MrpProduction(models.Model):
    _name = "mrp.production"
    # The mixin goes first: mrp.production already inherits mail.thread, which the mixin
    # extends, so listing it after mrp.production gives no consistent method order.
    _inherit = ["funnel.sla.mixin", "mrp.production"]

    _sla_stage_field = "funnel_stage_id"
    _sla_user_field = "user_id"

    production_line_id = fields.Many2one(
        "production.line",
        string="Production Line",
        compute="_compute_production_line_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="Taken from the product, or else from the product category mapping of the "
        "lines; it can be changed on the order.",
    )
    funnel_stage_id = fields.Many2one(
        "production.funnel.stage",
        string="Funnel Stage",
        default=lambda self: self._default_funnel_stage(),
        group_expand="_read_group_funnel_stage_ids",
        domain="['|', ('line_ids', '=', False), "
        "('line_ids', 'in', production_line_id and [production_line_id] or [])]",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        check_company=True,
    )
    funnel_health = fields.Selection(
        [("on_time", "On Time"), ("stalled", "Stalled")],
        compute="_compute_funnel_health",
        store=True,
        help="Stalled when the order stays in its funnel stage past the stage's SLA.",
    )
    spec_width = fields.Float(string="Width (mm)", tracking=True, copy=True)
    spec_height = fields.Float(string="Height (mm)", tracking=True, copy=True)
    spec_fabric = fields.Char(string="Fabric", tracking=True, copy=True)
    spec_color = fields.Char(string="Colour", tracking=True, copy=True)
    spec_mechanism = fields.Char(string="Mechanism", tracking=True, copy=True)
    spec_missing = fields.Char(
        string="Missing Spec",
        compute="_compute_spec_missing",
        help="Spec fields the production line requires that the order leaves empty.",
    )

    # ------------------------------------------------------------ defaults
    @api.model
    def _default_funnel_stage(self):
        # the first stage shared or of the company the order is created in
        return self.env["production.funnel.stage"].search(
            [("company_id", "in", [False, self.env.company.id])], limit=1
        )

    @api.model
    def _read_group_funnel_stage_ids(self, stages, domain):
        line_id = self.env.context.get("default_production_line_id")
        stage_domain = []
        if line_id:
            stage_domain = ["|", ("line_ids", "=", False), ("line_ids", "in", [line_id])]
        return stages.search(stage_domain)

    # ------------------------------------------------------------ computes
    @api.depends("product_id", "company_id")
    def _compute_production_line_id(self):
        Line = self.env["production.line"]
        category_lines = Line._category_lines()
        for production in self:
            if not production.product_id:
                continue
            line = Line._for_product(
                production.product_id,
                production.company_id or self.env.company,
                category_lines=category_lines,
            )
            # a product made on no line keeps what the order has (e.g. chosen by hand)
            production.production_line_id = line or production.production_line_id

    @api.depends("is_stalled")
    def _compute_funnel_health(self):
        for production in self:
            production.funnel_health = "stalled" if production.is_stalled else "on_time"

    @api.depends("production_line_id.spec_field_ids", *SPEC_FIELDS)
    def _compute_spec_missing(self):
        for production in self:
            line = production.production_line_id
            missing = line._missing_spec_fields(production) if line else False
            production.spec_missing = (
                ", ".join(missing.mapped("field_description")) if missing else False
            )

    # --------------------------------------------------------- constraints
    @api.constrains("funnel_stage_id", "production_line_id", *SPEC_FIELDS)
    def _check_funnel_spec(self):
        for production in self:
            stage = production.funnel_stage_id
            line = production.production_line_id
            if not stage or stage.is_spec_stage or not line:
                continue
            missing = line._missing_spec_fields(production)
            if missing:
                raise ValidationError(
                    self.env._(
                        "Manufacturing order %(order)s cannot go to stage %(stage)s: the spec "
                        "required by line %(line)s is incomplete. Missing: %(fields)s.",
                        order=production.display_name,
                        stage=stage.display_name,
                        line=line.display_name,
                        fields=", ".join(missing.mapped("field_description")),
                    )
                )

    @api.constrains("production_line_id", "funnel_stage_id", "company_id")
    def _check_funnel_company(self):
        """The line and the funnel stage of an order are of the order's company (or, for
        a stage, shared). mrp.production checks the companies of its fields only when an
        order is confirmed or planned; these two are checked whenever they change."""
        self._check_company(["production_line_id", "funnel_stage_id"])

    # ---------------------------------------------------------------- CRUD
    def write(self, vals):
        if vals.keys() <= SLA_FLAGS and not self.env.context.get("tracking_disable"):
            # No tracked field changes: do not prepare the tracking of every tracked field
            # of the orders (the SLA check writes these flags on hundreds at once).
            return self.with_context(tracking_disable=True).write(vals)
        if len(self) > SLA_FLAGS_CHUNK and vals.keys() <= SLA_FLAGS:
            # The SLA check flags its batches of orders (500) in one write. The write of
            # mrp.production reads the work orders of the whole recordset once per order
            # (``self._has_workorders()`` in its loop), which grows with the square of the
            # batch: the flags, which mrp does not look at, go in small chunks instead.
            for start in range(0, len(self), SLA_FLAGS_CHUNK):
                self[start : start + SLA_FLAGS_CHUNK].write(vals)
            return True
        moved_back = {}
        if vals.get("funnel_stage_id"):
            new_stage = self.env["production.funnel.stage"].browse(vals["funnel_stage_id"])
            for production in self:
                old_stage = production.funnel_stage_id
                if old_stage and (old_stage.sequence, old_stage.id) > (
                    new_stage.sequence,
                    new_stage.id,
                ):
                    moved_back[production.id] = old_stage
        result = super().write(vals)
        for production in self.filtered(lambda p: p.id in moved_back):
            production.message_post(
                body=self.env._(
                    "Moved back in the production funnel from %(old)s to %(new)s.",
                    old=moved_back[production.id].display_name,
                    new=production.funnel_stage_id.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return result

    # ------------------------------------------------------------ helpers
    def _sla_domain(self):
        """Done and cancelled orders have left the funnel: never flag them."""
        return [("state", "not in", ("done", "cancel"))]

    def _sla_flag_stalled(self):
        # mail computes the record name of each new activity from its order's display name,
        # one order at a time (a compute per order): compute them for the batch at once.
        self.mapped("display_name")
        return super()._sla_flag_stalled()

    def _sla_unflag_finished(self):
        """Orders finished or cancelled while stalled: end their reminder, clear the flags."""
        self._sla_close_activities()
        self._sla_unflag()

    # --------------------------------------------------------------- crons
    @api.model
    def _sla_check_batches(self, batch_size=None):
        """Also clear the flag and the reminder of stalled orders finished or cancelled
        since, in batches as the rest of the check (an order a user holds is left to the
        next run)."""
        yield from self._sla_run_batches(
            [("is_stalled", "=", True), ("state", "in", ("done", "cancel"))],
            "_sla_unflag_finished",
            batch_size or self._sla_batch_size,
            safely=False,
        )
        return (yield from super()._sla_check_batches(batch_size=batch_size))
