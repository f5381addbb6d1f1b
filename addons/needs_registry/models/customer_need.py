import logging
import math
import random
import time
from collections import defaultdict

from markupsafe import Markup
from psycopg2 import errors
from psycopg2.pool import PoolError

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.8
THRESHOLD_PARAM = "needs_registry.similarity_threshold"
# from this likelihood of being the same end customer's demand, a match is notified
DEFAULT_LIKELIHOOD_THRESHOLD = 0.5
LIKELIHOOD_PARAM = "needs_registry.likelihood_threshold"
# the fields of a need its matches' likelihood reads: a change of one re-evaluates them
LIKELIHOOD_FIELDS = {"partner_id", "partner_shipping_id", "date_start", "date_end"}
# the deal states a quotation/order can be matched in (cancelled never matches)
MATCHABLE_ORDER_STATES = ("draft", "sent", "sale")
# keys of the transaction's pre-commit and post-commit data
PENDING_DETECTION = "needs_registry.pending_detection"
RECHECK_DETECTION = "needs_registry.recheck_detection"
RECHECK_ATTEMPTS = 5
# what a re-check meets when many saves re-check at once: it waits a little and retries
# (a full pool: each saver holds its own connection while it re-checks on another)
RETRYABLE_ERRORS = (
    errors.SerializationFailure,
    errors.DeadlockDetected,
    errors.LockNotAvailable,
    PoolError,
)
# the fields the workflow sets (readonly in the views): users change them through its
# actions only, which check what a decision needs before writing them (``_write_workflow``)
WORKFLOW_FIELDS = (
    "name",
    "state",
    "duplicate_of_id",
    "lost_reason_id",
    "close_comment",
    "opportunity_id",
)
# what a new need starts with (a user's create may give these, and nothing else)
INITIAL_VALUES = {"name": "/", "state": "open"}


def _min_common(threshold, size):
    """The fewest shared products a candidate can have: the union of two product sets is
    at least as large as ``size``, so a Jaccard overlap of ``threshold`` needs at least
    ``threshold * size`` products in common. Detection first keeps only the needs and deals
    sharing that many, then counts their whole sets."""
    return max(1, math.ceil(threshold * size - 1e-9))


class CustomerNeed(models.Model):
    _name = "customer.need"
    _description = "Customer Need"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, string="Customer Entity"
    )
    partner_shipping_id = fields.Many2one(
        "res.partner",
        string="Delivery Address",
        compute="_compute_partner_shipping_id",
        store=True,
        readonly=False,
        tracking=True,
        check_company=True,
        help="Where the products go: the customer's delivery address, or the end customer's "
        "when a dealer asks for them on its behalf. The quotation made from the need "
        "delivers there, and duplicates for the same end customer rank first.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Manager",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        tracking=True,
        check_company=True,
        compute="_compute_team_id",
        store=True,
        readonly=False,
    )
    date_start = fields.Date(
        string="Needed From", required=True, tracking=True, default=fields.Date.context_today
    )
    date_end = fields.Date(string="Needed Until", tracking=True)
    line_ids = fields.One2many("customer.need.line", "need_id", string="Products", copy=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("duplicate", "Duplicate"),
            ("lost", "Lost"),
            ("converted", "Converted"),
        ],
        default="open",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    duplicate_of_id = fields.Many2one(
        "customer.need",
        string="Duplicate Of",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
        check_company=True,
    )
    lost_reason_id = fields.Many2one(
        "crm.lost.reason", string="Lost Reason", readonly=True, copy=False, tracking=True
    )
    close_comment = fields.Text(string="Closing Comment", readonly=True, copy=False, tracking=True)
    opportunity_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
        check_company=True,
    )
    order_ids = fields.One2many("sale.order", "need_id", string="Quotations")
    match_ids = fields.One2many("customer.need.match", "need_id", string="Matches")
    likely_match_ids = fields.One2many(
        "customer.need.match",
        "need_id",
        domain=[("relevance", "=", "likely")],
        string="Possible Duplicates",
    )
    elsewhere_match_ids = fields.One2many(
        "customer.need.match",
        "need_id",
        domain=[("relevance", "=", "elsewhere")],
        string="Same Composition Elsewhere",
    )
    open_match_count = fields.Integer(
        compute="_compute_open_match_count", string="Possible Duplicates Count"
    )
    elsewhere_match_count = fields.Integer(
        compute="_compute_open_match_count", string="Same Composition Elsewhere Count"
    )
    product_count = fields.Integer(compute="_compute_product_count", string="Products Count")
    description = fields.Html()
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_total = fields.Monetary(
        compute="_compute_amount_total",
        store=True,
        string="Estimated Amount",
        currency_field="currency_id",
    )

    # ------------------------------------------------------------------ computes
    @api.depends("user_id")
    def _compute_team_id(self):
        for need in self:
            if need.user_id and not need.team_id:
                need.team_id = self.env["crm.team"]._get_default_team_id(user_id=need.user_id.id)

    @api.depends("partner_id")
    def _compute_partner_shipping_id(self):
        # as a quotation does: the customer's delivery address, unless one is given
        for need in self:
            need.partner_shipping_id = (
                need.partner_id.address_get(["delivery"])["delivery"] if need.partner_id else False
            )

    @api.depends("match_ids.state", "match_ids.relevance")
    def _compute_open_match_count(self):
        # the other side may be another manager's need or deal: read its state as sudo
        for need in self:
            live = need.match_ids.sudo().filtered(lambda m: m._is_live())
            need.open_match_count = len(live.filtered(lambda m: m.relevance == "likely"))
            need.elsewhere_match_count = len(live) - need.open_match_count

    @api.depends("line_ids.product_id")
    def _compute_product_count(self):
        for need in self:
            need.product_count = len(need.line_ids.product_id)

    @api.depends("line_ids.price_subtotal")
    def _compute_amount_total(self):
        for need in self:
            need.amount_total = sum(need.line_ids.mapped("price_subtotal"))

    # --------------------------------------------------------------- constraints
    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for need in self:
            if need.date_end and need.date_start and need.date_end < need.date_start:
                raise ValidationError(
                    self.env._(
                        "Need %(need)s: the field 'Needed Until' (%(end)s) is before "
                        "'Needed From' (%(start)s).",
                        need=need.name,
                        end=need.date_end,
                        start=need.date_start,
                    )
                )

    @api.constrains("line_ids", "state")
    def _check_lines(self):
        for need in self:
            if not need.line_ids:
                raise ValidationError(
                    self.env._(
                        "Need %(need)s has no products: add at least one line in the field "
                        "'Products'.",
                        need=need.name,
                    )
                )

    @api.constrains("state", "close_comment", "duplicate_of_id")
    def _check_closing(self):
        for need in self:
            if need.state in ("duplicate", "lost") and not (need.close_comment or "").strip():
                raise ValidationError(
                    self.env._(
                        "Need %(need)s: the field 'Closing Comment' is required to close it.",
                        need=need.name,
                    )
                )
            if need.state == "duplicate" and not need.duplicate_of_id:
                raise ValidationError(
                    self.env._(
                        "Need %(need)s: the field 'Duplicate Of' is required to close it as a "
                        "duplicate.",
                        need=need.name,
                    )
                )
            if need.duplicate_of_id == need:
                raise ValidationError(
                    self.env._("Need %(need)s cannot be a duplicate of itself.", need=need.name)
                )

    # -------------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_workflow_fields(vals)
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = (
                    self.env["ir.sequence"].with_company(company).next_by_code("customer.need")
                    or "/"
                )
        needs = super().create(vals_list)
        # x2many constraints only run for the fields given: a need created without any
        # line must still be refused
        needs._check_lines()
        # detected at once, so that the saved form shows its possible duplicates
        needs._run_duplicate_detection()
        return needs

    def write(self, vals):
        self._check_workflow_fields(vals)
        res = super().write(vals)
        if vals.get("state") in ("duplicate", "lost", "converted"):
            # the decision is taken: the pairs of a closed need are no longer warnings
            # (matches of other managers' needs are involved, hence sudo)
            self.env["customer.need.match"].sudo().search(
                [
                    ("state", "=", "open"),
                    "|",
                    ("need_id", "in", self.ids),
                    ("matched_need_id", "in", self.ids),
                ]
            ).write({"state": "dismissed"})
        pending = self.env.cr.precommit.data.get(PENDING_DETECTION, set())
        if ({"line_ids", "state", "active", "company_id"} | LIKELIHOOD_FIELDS) & set(
            vals
        ) or pending & set(self.ids):
            self._run_duplicate_detection()
        return res

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for vals in vals_list:
            vals["name"] = "/"
        return vals_list

    # ----------------------------------------------------------------- actions
    def action_open_close_wizard(self):
        close_type = self.env.context.get("need_close_type", "duplicate")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close as Duplicate")
            if close_type == "duplicate"
            else self.env._("Close as Lost"),
            "res_model": "customer.need.close.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_need_ids": self.ids,
                "default_close_type": close_type,
                "default_duplicate_of_id": self.match_ids.filtered(
                    lambda m: m.state == "open" and m.matched_need_id
                )[:1].matched_need_id.id,
            },
        }

    def action_reopen(self):
        for need in self:
            if need.state not in ("duplicate", "lost"):
                raise UserError(
                    self.env._(
                        "Need %(need)s cannot be reopened: only duplicate or lost needs can.",
                        need=need.name,
                    )
                )
        self._write_workflow(
            {
                "state": "open",
                "duplicate_of_id": False,
                "lost_reason_id": False,
                "close_comment": False,
            }
        )
        return True

    def action_view_opportunity(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.opportunity_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale.action_quotations_with_onboarding"
        )
        action.update(
            {
                "domain": [("need_id", "=", self.id)],
                "context": {"default_need_id": self.id, "create": False},
            }
        )
        if len(self.order_ids) == 1:
            action.update(
                {"res_id": self.order_ids.id, "views": [(False, "form")], "view_mode": "form"}
            )
        return action

    def action_detect_duplicates(self):
        self._run_duplicate_detection()
        return True

    def action_convert_to_opportunity(self):
        """Create an opportunity and a draft quotation from each open need, carry the
        need number to both, and archive the need as converted."""
        leads = self.env["crm.lead"]
        for need in self:
            if need.state != "open":
                raise UserError(
                    self.env._(
                        "Need %(need)s is %(state)s: only an open need can be converted.",
                        need=need.name,
                        state=dict(need._fields["state"]._description_selection(self.env))[
                            need.state
                        ],
                    )
                )
            need.check_access("write")
            lead = self.env["crm.lead"].create(need._prepare_opportunity_values())
            # sudo: the need of an opportunity is set by this conversion only, never by hand
            # (crm.lead._check_need_link); the user may edit the need (checked above)
            lead.sudo().write({"need_id": need.id})
            order = self.env["sale.order"].create(need._prepare_order_values(lead))
            need._write_workflow({"opportunity_id": lead.id, "state": "converted", "active": False})
            need.message_post(
                body=Markup(
                    self.env._(
                        "Converted into the opportunity %(lead)s and the quotation %(order)s."
                    )
                )
                % {"lead": lead._get_html_link(), "order": order._get_html_link()}
            )
            leads |= lead
        if len(leads) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "crm.lead",
                "res_id": leads.id,
                "view_mode": "form",
                "views": [(False, "form")],
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "domain": [("id", "in", leads.ids)],
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
        }

    # --------------------------------------------------------- business helpers
    def mark_duplicate(self, duplicate_of_id, comment):
        """Close the needs as duplicates of ``duplicate_of_id`` (RPC entry point)."""
        kept = self.browse(duplicate_of_id).exists() if duplicate_of_id else self.browse()
        if not kept:
            raise ValidationError(
                self.env._("The field 'Duplicate Of' is required: choose the need that is kept.")
            )
        if not (comment or "").strip():
            raise ValidationError(
                self.env._(
                    "The field 'Closing Comment' is required to close a need as a duplicate."
                )
            )
        for need in self:
            if need.state != "open":
                raise UserError(
                    self.env._(
                        "Need %(need)s is not open and cannot be closed as a duplicate.",
                        need=need.name,
                    )
                )
            if need == kept:
                raise ValidationError(
                    self.env._("Need %(need)s cannot be a duplicate of itself.", need=need.name)
                )
        self._write_workflow(
            {"state": "duplicate", "duplicate_of_id": kept.id, "close_comment": comment}
        )
        # the kept need may belong to another manager: only its number is shown (sudo)
        kept_link = kept.sudo()._get_html_link()
        for need in self:
            need.message_post(
                body=Markup(self.env._("Closed as a duplicate of %(kept)s: %(comment)s"))
                % {"kept": kept_link, "comment": comment}
            )
        return True

    def mark_lost(self, comment, lost_reason_id=False):
        """Close the needs as lost (RPC entry point)."""
        if not (comment or "").strip():
            raise ValidationError(
                self.env._("The field 'Closing Comment' is required to close a need as lost.")
            )
        for need in self:
            if need.state != "open":
                raise UserError(
                    self.env._(
                        "Need %(need)s is not open and cannot be closed as lost.", need=need.name
                    )
                )
        reason = self.env["crm.lost.reason"].browse(lost_reason_id or ()).exists()
        if lost_reason_id and not reason:
            raise ValidationError(
                self.env._(
                    "The field 'Lost Reason' names a reason that does not exist (%(reason)s).",
                    reason=lost_reason_id,
                )
            )
        self._write_workflow(
            {"state": "lost", "lost_reason_id": reason.id, "close_comment": comment}
        )
        for need in self:
            need.message_post(body=self.env._("Closed as lost: %(comment)s", comment=comment))
        return True

    # --------------------------------------------------- the workflow's own write
    def _workflow_field_actions(self):
        """The fields of ``WORKFLOW_FIELDS``, each with the action that sets it."""
        return {
            "name": self.env._("the registry's numbering, when the need is created"),
            "state": self.env._(
                "the buttons 'Convert to Opportunity', 'Close as Duplicate', 'Close as Lost' "
                "and 'Reopen'"
            ),
            "duplicate_of_id": self.env._("the button 'Close as Duplicate'"),
            "lost_reason_id": self.env._("the button 'Close as Lost'"),
            "close_comment": self.env._("the buttons 'Close as Duplicate' and 'Close as Lost'"),
            "opportunity_id": self.env._("the button 'Convert to Opportunity'"),
        }

    def _check_workflow_fields(self, vals):
        """Refuse a user's direct write of a field the workflow sets.

        The actions write these fields through ``_write_workflow`` once they have checked
        what the decision needs (a closing comment, an open need...). A plain ``create``
        may only give their initial values; a plain ``write`` may not change them. The
        superuser (data files, the workflow's own write) is not refused.
        """
        if self.env.su:
            return
        for fname in WORKFLOW_FIELDS:
            if fname not in vals:
                continue
            field = self._fields[fname]
            value = field.convert_to_cache(vals[fname], self.browse(), validate=False)
            if self:
                current = {field.convert_to_cache(need[fname], need) for need in self}
            else:
                current = {field.convert_to_cache(INITIAL_VALUES.get(fname), self.browse())}
            if current == {value}:
                continue  # nothing changes: not a decision
            raise AccessError(
                self.env._(
                    "Need %(need)s: the field '%(field)s' is set only by %(action)s; it "
                    "cannot be written directly.",
                    need=", ".join(self.mapped("name")) or self.env._("(new)"),
                    field=field._description_string(self.env),
                    action=self._workflow_field_actions()[fname],
                )
            )

    def _write_workflow(self, vals):
        """Write the fields the workflow sets: called by the actions once they have checked
        the decision. The user must be allowed to edit these needs (checked here); the
        values are then written as superuser because the public ``write`` refuses these
        fields to users (``_check_workflow_fields``)."""
        self.check_access("write")
        return self.sudo().write(vals)

    def _prepare_opportunity_values(self):
        self.ensure_one()
        return {
            "name": self.env._(
                "%(need)s – %(partner)s", need=self.name, partner=self.partner_id.display_name
            ),
            "type": "opportunity",
            "partner_id": self.partner_id.id,
            "user_id": self.user_id.id,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "expected_revenue": self.amount_total,
            "date_deadline": self.date_end or self.date_start,
        }

    def _prepare_order_values(self, lead):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "partner_shipping_id": self.partner_shipping_id.id or self.partner_id.id,
            "opportunity_id": lead.id,
            "need_id": self.id,
            "user_id": self.user_id.id,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "origin": self.name,
            "order_line": [
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "product_uom_qty": line.product_uom_qty,
                        "product_uom": line.product_uom.id,
                    }
                )
                for line in self.line_ids
            ],
        }

    def _get_similarity_threshold(self):
        value = self.env["ir.config_parameter"].sudo().get_param(THRESHOLD_PARAM)
        try:
            threshold = float(value) if value else DEFAULT_THRESHOLD
        except ValueError:
            _logger.warning("Invalid %s=%r, using %s", THRESHOLD_PARAM, value, DEFAULT_THRESHOLD)
            threshold = DEFAULT_THRESHOLD
        return min(max(threshold, 0.01), 1.0)

    def _get_likelihood_threshold(self):
        """The likelihood from which a match is notified (a setting, 0.5 by default)."""
        value = self.env["ir.config_parameter"].sudo().get_param(LIKELIHOOD_PARAM)
        try:
            threshold = float(value) if value else DEFAULT_LIKELIHOOD_THRESHOLD
        except ValueError:
            _logger.warning(
                "Invalid %s=%r, using %s", LIKELIHOOD_PARAM, value, DEFAULT_LIKELIHOOD_THRESHOLD
            )
            threshold = DEFAULT_LIKELIHOOD_THRESHOLD
        return min(max(threshold, 0.0), 1.0)

    def _find_candidate_needs(self, product_ids, threshold):
        """Return {need_id: (common, total)} of other open needs sharing products."""
        self.ensure_one()
        return self._search_candidate_needs(product_ids, threshold, self.company_id.id, self.ids)

    @api.model
    def _overlap_counts(self, lines, parent, product_ids, threshold, line_filter, parent_filter):
        """Return {parent id: (common, total)} of the records whose product set overlaps
        ``product_ids`` by at least ``threshold`` (Jaccard), in one SQL.

        ``lines`` is the line table and ``parent`` its column naming the need or order.
        The lines of the products are grouped by parent first, keeping the parents that
        share at least ``_min_common()`` products (an index-only scan of the product
        index), then ``parent_filter`` (on ``hits.parent``) keeps those in the right
        state, and only these get their whole product set counted. ``line_filter`` (on
        the lines ``c``) narrows the scan where the lines carry the state themselves.
        """
        size = len(product_ids)
        self.env.cr.execute(
            SQL(
                """
            SELECT parent, common, total FROM (
            SELECT %(parent)s AS parent,
                   COUNT(DISTINCT l.product_id) FILTER (WHERE l.product_id = ANY(%(products)s))
                       AS common,
                   COUNT(DISTINCT l.product_id) AS total
              FROM %(lines)s l
             WHERE l.product_id IS NOT NULL
               AND %(parent)s IN (
                   SELECT hits.parent FROM (
                       SELECT %(line_parent)s AS parent FROM %(lines)s c
                        WHERE c.product_id = ANY(%(products)s) AND %(line_filter)s
                        GROUP BY 1
                       HAVING COUNT(DISTINCT c.product_id) >= %(min_common)s
                   ) AS hits
                    WHERE %(parent_filter)s)
             GROUP BY %(parent)s
            ) AS counts
            WHERE common >= %(threshold)s * (%(size)s + total - common) - 1e-9
            """,
                parent=SQL.identifier("l", parent),
                line_parent=SQL.identifier("c", parent),
                lines=SQL.identifier(lines),
                line_filter=line_filter,
                parent_filter=parent_filter,
                products=list(product_ids),
                threshold=threshold,
                size=size,
                min_common=_min_common(threshold, size),
            )
        )
        return {parent_id: (common, total) for parent_id, common, total in self.env.cr.fetchall()}

    @api.model
    def _search_candidate_needs(self, product_ids, threshold, company_id, exclude_ids=()):
        """Return {need_id: (common, total)} of the open needs of a company whose product
        set overlaps ``product_ids`` by at least ``threshold`` (Jaccard)."""
        # the lines carry their need's state and company: the partial index serves it all
        line_filter = SQL(
            "c.need_state = 'open' AND c.company_id = %s AND c.need_id != ALL(%s::int[])",
            company_id,
            list(exclude_ids),
        )
        return self._overlap_counts(
            "customer_need_line", "need_id", product_ids, threshold, line_filter, SQL("TRUE")
        )

    def _find_candidate_orders(self, product_ids, threshold):
        """Return {order_id: (common, total)} of open quotations/orders of open
        opportunities sharing products, never this need's own deal."""
        self.ensure_one()
        # the state is the order's and its opportunity's: checked on the few orders that
        # share enough products, not on every line of the products
        parent_filter = SQL(
            """EXISTS (
                SELECT 1 FROM sale_order so
                  JOIN crm_lead lead ON lead.id = so.opportunity_id
                 WHERE so.id = hits.parent
                   AND so.state IN %s AND so.company_id = %s AND lead.active
                   AND so.opportunity_id IS DISTINCT FROM %s
                   AND so.need_id IS DISTINCT FROM %s)""",
            MATCHABLE_ORDER_STATES,
            self.company_id.id,
            self.opportunity_id.id or None,
            self.id,
        )
        return self._overlap_counts(
            "sale_order_line", "order_id", product_ids, threshold, SQL("TRUE"), parent_filter
        )

    def _detect_duplicates(self, rescore=True):
        """Find open needs and open deals with the same product composition.

        Creates/updates the match records of each need (both directions for two needs),
        with the likelihood that the two are the same end customer's demand, and drops
        open matches that no longer hold. The likely matches not yet notified are then
        notified, once per need saved (``customer.need.match._notify_save``); the others
        are listed as the same composition elsewhere. Without ``rescore`` (the re-check
        right after a save evaluated them) the matches already there keep their values.

        Sees what the transaction's snapshot sees: a need saved at the same moment by
        another transaction is found by the re-check after commit (``_schedule_recheck``).
        Returns the matches created.
        """
        needs = self.filtered(lambda n: n.state == "open" and n.active)
        if not needs:
            return self.env["customer.need.match"]
        # detection spans the needs of every manager and every deal: the current user
        # may not read them, so the search and the bookkeeping of matches run as sudo;
        # what the user sees is still filtered by the record rules on customer.need.match.
        Match = self.env["customer.need.match"].sudo()
        self.env.flush_all()
        threshold = self._get_similarity_threshold()
        likely_from = self._get_likelihood_threshold()
        existing = Match.search(
            [
                "|",
                ("need_id", "in", needs.ids),
                ("matched_need_id", "in", needs.ids),
            ]
        )
        # the matches there, by (need, other need, deal), and those of each need
        halves = {}
        of_need = defaultdict(lambda: Match.browse())
        for match in existing:
            key = (match.need_id.id, match.matched_need_id.id, match.matched_order_id.id)
            halves[key] = match
            of_need[match.need_id.id] |= match
            if match.matched_need_id:
                of_need[match.matched_need_id.id] |= match
        # the pairs to create: {key: values of the pair (both halves of two needs)}
        to_create = {}
        for need in needs:
            products = set(need.line_ids.product_id.ids)
            if not products:
                continue
            found_needs = need._find_candidate_needs(products, threshold)
            found_orders = need._find_candidate_orders(products, threshold)
            # the likelihood of the candidates: all of them, or the new ones only
            score_needs = [
                other_id
                for other_id in found_needs
                if rescore
                or (need.id, other_id, False) not in halves
                or (other_id, need.id, False) not in halves
            ]
            score_orders = [
                order_id
                for order_id in found_orders
                if rescore or (need.id, False, order_id) not in halves
            ]
            likelihoods = (
                Match._likelihood_values(need, score_needs, score_orders)
                if score_needs or score_orders
                else {}
            )
            size = len(products)
            keep = Match.browse()
            for other_id, (common, total) in found_needs.items():
                key = ("need", min(need.id, other_id), max(need.id, other_id))
                half = halves.get((need.id, other_id, False), Match)
                back = halves.get((other_id, need.id, False), Match)
                pair = half | back
                evaluation = likelihoods.get(("customer.need", other_id))
                vals = evaluation and self._match_values(
                    size, common, total, evaluation, likely_from
                )
                if pair:
                    keep |= pair
                    if vals:
                        self._update_match_values(pair, vals)
                    else:
                        vals = self._match_values_of(pair[0])
                    missing = [] if half else [(need.id, other_id)]
                    missing += [] if back else [(other_id, need.id)]
                    if missing:
                        to_create.setdefault(
                            key,
                            [
                                dict(
                                    vals,
                                    need_id=a,
                                    matched_need_id=b,
                                    state=pair[0].state,
                                    notified=pair[0].notified,
                                )
                                for a, b in missing
                            ],
                        )
                    continue
                to_create.setdefault(
                    key,
                    [
                        dict(vals, need_id=need.id, matched_need_id=other_id),
                        dict(vals, need_id=other_id, matched_need_id=need.id),
                    ],
                )
            for order_id, (common, total) in found_orders.items():
                match = halves.get((need.id, False, order_id))
                evaluation = likelihoods.get(("sale.order", order_id))
                vals = evaluation and self._match_values(
                    size, common, total, evaluation, likely_from
                )
                if match:
                    keep |= match
                    if vals:
                        self._update_match_values(match, vals)
                    continue
                to_create.setdefault(
                    ("order", need.id, order_id),
                    [dict(vals, need_id=need.id, matched_order_id=order_id)],
                )
            stale = (of_need[need.id] - keep).filtered(
                lambda m: m.state == "open"
                and (
                    m.matched_order_id
                    or (m.need_id.state == "open" and m.matched_need_id.state == "open")
                )
            )
            stale.unlink()
            existing -= stale
        created = Match._create_pairs(list(to_create.values()))
        # the likely matches of each need saved, not yet notified: one notice per person
        # concerned for the save of that need (a pair of two needs saved together is
        # notified once, from the first: its halves are marked notified together)
        candidates = (existing | created).filtered(
            lambda m: m.relevance == "likely" and m.state == "open" and not m.notified
        )
        for need in needs:
            Match._notify_save(
                need, candidates.filtered(lambda m, n=need: m.need_id == n and not m.notified)
            )
        return created

    # -------------------------------------------------- detection on save, re-check
    @api.model
    def _register_pending_detection(self, need_ids):
        """Lines changed outside a save of their need: detect those needs before commit.

        A save of the need (``create``/``write``) takes its own needs off this list and
        detects them at once; the ones left are detected by ``_detect_pending_needs``
        just before the transaction commits, which also refuses a need left with no line.
        """
        if not need_ids:
            return
        precommit = self.env.cr.precommit
        if PENDING_DETECTION not in precommit.data:
            precommit.add(self.browse()._detect_pending_needs)
        precommit.data.setdefault(PENDING_DETECTION, set()).update(need_ids)

    def _detect_pending_needs(self):
        """Pre-commit: detect the needs whose lines changed outside a save of the need."""
        need_ids = self.env.cr.precommit.data.pop(PENDING_DETECTION, set())
        needs = self.browse(sorted(need_ids)).exists()
        if not needs:
            return
        needs._check_lines()
        needs._run_duplicate_detection()
        # this runs after the main flush, just before commit: flush what it wrote
        self.env.flush_all()

    def _run_duplicate_detection(self):
        """Detect the duplicates of these needs now, and again after commit."""
        pending = self.env.cr.precommit.data.get(PENDING_DETECTION)
        if pending:
            pending.difference_update(self.ids)
        new_matches = self._detect_duplicates()
        self._schedule_recheck()
        return new_matches

    def _schedule_recheck(self):
        """Re-run the detection of these needs once this transaction has committed.

        Under REPEATABLE READ a transaction never sees a need committed after its
        snapshot: two needs saved at the same moment miss each other. After commit, a
        new transaction (fresh snapshot) sees every need committed before it, so of two
        concurrent saves the one re-checking second finds the other.
        """
        needs = self.filtered(lambda n: n.state == "open" and n.active)
        if not needs:
            return
        postcommit = self.env.cr.postcommit
        if RECHECK_DETECTION not in postcommit.data:
            postcommit.add(self.browse()._recheck_after_commit)
        batches = postcommit.data.setdefault(RECHECK_DETECTION, {})
        batches.setdefault((self.env.uid, self.env.lang), set()).update(needs.ids)

    def _recheck_after_commit(self):
        """Post-commit: re-check the saved needs, each saver's in a new transaction."""
        batches = self.env.cr.postcommit.data.pop(RECHECK_DETECTION, {})
        for (uid, lang), need_ids in batches.items():
            self._recheck_in_new_cursor(uid, lang, sorted(need_ids))

    @api.model
    def _recheck_in_new_cursor(self, uid, lang, need_ids):
        """Re-run the detection of ``need_ids`` as ``uid`` in a transaction of its own.

        The saver's transaction is already committed: a failure here must not reach the
        saver. A concurrency error is retried a few times; anything else is logged.
        Return whether the re-check committed.
        """
        for attempt in range(1, RECHECK_ATTEMPTS + 1):
            try:
                with self.env.registry.cursor() as cr:
                    env = api.Environment(cr, uid, {"lang": lang} if lang else {})
                    env["customer.need"].browse(need_ids)._recheck_duplicates()
                return True
            except RETRYABLE_ERRORS as error:
                if attempt == RECHECK_ATTEMPTS:
                    _logger.warning(
                        "Duplicate re-check of needs %s gave up after %s attempts: %s",
                        need_ids,
                        attempt,
                        error,
                    )
                    return False
                time.sleep(random.uniform(0.05, 0.1 * 2**attempt))
            except Exception:
                _logger.exception("Duplicate re-check of needs %s failed", need_ids)
                return False
        return False

    def _recheck_duplicates(self):
        """The re-check itself: the detection of the needs still there, seen anew.

        As sudo: the needs were saved by this user, but may have changed hands since;
        the matches and notices are still the saver's (same uid). The matches the save
        evaluated moments ago keep their values: only new candidates are evaluated."""
        return self.sudo().exists()._detect_duplicates(rescore=False)

    @api.model
    def _match_values(self, size, common, total, likelihood_values, likely_from):
        """The values of a match: its composition overlap, its likelihood (see
        ``customer.need.match._likelihood_values``) and whether that makes it a possible
        duplicate (notified) or the same composition elsewhere (listed only)."""
        score, match_type = self._score(size, common, total)
        vals = dict(likelihood_values, score=score, match_type=match_type)
        # compared as shown (a percentage): 0.495 is not 50%
        likely = round(vals["likelihood"], 2) >= round(likely_from, 2)
        vals["relevance"] = "likely" if likely else "elsewhere"
        return vals

    @staticmethod
    def _match_values_of(match):
        """The values of an existing match, for the half of its pair that is missing."""
        return {
            fname: match[fname]
            for fname in (
                "score",
                "match_type",
                "likelihood",
                "customer_link",
                "place_link",
                "period_overlap",
                "quantity_overlap",
                "relevance",
            )
        }

    @staticmethod
    def _update_match_values(matches, vals):
        """Write the new figures on the matches whose values changed, and only on those
        (an unchanged pair is not rewritten at every save)."""

        def changed(match):
            for fname, value in vals.items():
                if isinstance(value, float):
                    if round(match[fname], 2) != round(value, 2):
                        return True
                elif match[fname] != value:
                    return True
            return False

        matches.filtered(changed).write(vals)

    @staticmethod
    def _score(size, common, total):
        union = size + total - common
        score = common / union if union else 0.0
        match_type = "exact" if common == size == total else "similar"
        return (1.0 if match_type == "exact" else score), match_type
