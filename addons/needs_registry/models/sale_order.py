from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .customer_need import MATCHABLE_ORDER_STATES

# the fields of a quotation its matches' likelihood reads (the state is read by detection)
ORDER_LIKELIHOOD_FIELDS = {"partner_id", "partner_shipping_id", "commitment_date"}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    need_id = fields.Many2one(
        "customer.need",
        string="Need",
        index="btree_not_null",
        copy=False,
        tracking=True,
        readonly=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        # a quotation made from a converted opportunity carries the need number too;
        # the salesman may not read the need itself, only its id is copied (sudo)
        lead_ids = [vals["opportunity_id"] for vals in vals_list if vals.get("opportunity_id")]
        need_by_lead = {
            lead.id: lead.need_id.id for lead in self.env["crm.lead"].browse(lead_ids).sudo()
        }
        for vals in vals_list:
            need_id = need_by_lead.get(vals.get("opportunity_id")) or False
            if vals.get("need_id") and vals["need_id"] != need_id:
                self._check_need_link()
            if need_id:
                vals["need_id"] = need_id
        return super().create(vals_list)

    def write(self, vals):
        if "need_id" in vals:
            self._check_need_link()
        res = super().write(vals)
        if ORDER_LIKELIHOOD_FIELDS & set(vals):
            # what the likelihood of its matches reads changed: they are evaluated again
            self._detect_need_duplicates()
        return res

    def _check_need_link(self):
        """The need of a quotation is its opportunity's, set when the need is converted or
        the quotation made from it; never by hand (it would hide the quotation from that
        need's duplicate detection and carry its number to the invoice)."""
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "The field 'Need' of a quotation is the need of its opportunity; it "
                    "cannot be set by hand."
                )
            )

    def _prepare_invoice(self):
        vals = super()._prepare_invoice()
        if self.need_id:
            vals["need_id"] = self.need_id.id
        return vals

    def _detect_need_duplicates(self):
        """The other way round: a quotation of an open opportunity whose products are
        those of an open need is listed on that need and notified once."""
        # needs of every manager are searched and matched, hence sudo; nothing of them
        # is returned to the current user
        orders = self.sudo().filtered(
            lambda o: o.state in MATCHABLE_ORDER_STATES
            and o.opportunity_id.active
            and o.order_line.product_id
        )
        if not orders:
            return
        Need = self.env["customer.need"].sudo()
        Match = self.env["customer.need.match"].sudo()
        self.env.flush_all()
        threshold = Need._get_similarity_threshold()
        likely_from = Need._get_likelihood_threshold()
        existing = Match.search([("matched_order_id", "in", orders.ids)])
        # the needs each deal comes from (excluded from its own candidates), and the need
        # pairs already decided for the needs of these deals: read once for the batch
        opportunity_needs = defaultdict(lambda: Need.browse())
        for need in Need.search([("opportunity_id", "in", orders.opportunity_id.ids)]):
            opportunity_needs[need.opportunity_id] |= need
        settled_pairs = set()
        if orders.need_id:
            settled_pairs = {
                (match.need_id.id, match.matched_need_id.id)
                for match in Match.search([("matched_need_id", "in", orders.need_id.ids)])
            }
        to_create = []
        for order in orders:
            products = set(order.order_line.product_id.ids)
            exclude = (order.need_id | opportunity_needs[order.opportunity_id]).ids
            found = Need._search_candidate_needs(products, threshold, order.company_id.id, exclude)
            likelihoods = Match._likelihood_values(order, need_ids=found) if found else {}
            mine = existing.filtered(lambda m, o=order: m.matched_order_id == o)
            keep = Match.browse()
            for need_id, (common, total) in found.items():
                vals = Need._match_values(
                    len(products),
                    common,
                    total,
                    likelihoods[("customer.need", need_id)],
                    likely_from,
                )
                match = mine.filtered(lambda m, n=need_id: m.need_id.id == n)
                if match:
                    Need._update_match_values(match, vals)
                    keep |= match
                    continue
                # the need was already paired with the need this deal comes from: that
                # decision stands, the deal does not reopen it
                settled = (need_id, order.need_id.id) in settled_pairs
                to_create.append(
                    [
                        dict(
                            vals,
                            need_id=need_id,
                            matched_order_id=order.id,
                            state="dismissed" if settled else "open",
                        )
                    ]
                )
            stale = (mine - keep).filtered(lambda m: m.state == "open")
            stale.unlink()
            existing -= stale
        # a pair a concurrent save of the need created first is skipped (and notified there)
        created = Match._create_pairs(to_create)
        # the likely matches of each deal saved, not yet notified: one notice per person
        candidates = (existing | created).filtered(
            lambda m: m.relevance == "likely" and m.state == "open" and not m.notified
        )
        for order in orders:
            Match._notify_save(
                order, candidates.filtered(lambda m, o=order: m.matched_order_id == o)
            )


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._detect_need_duplicates()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if "product_id" in vals:
            self.order_id._detect_need_duplicates()
        return res

    def unlink(self):
        orders = self.order_id
        res = super().unlink()
        orders.exists()._detect_need_duplicates()
        return res
