from datetime import date, datetime

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class TiersCase(TransactionCase):
    """Hand-made orders over two periods: the assessment date is 2026-06-30, the current
    period 2025-07-01 .. 2026-06-30, the previous one 2024-07-01 .. 2025-06-30."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.date = date(2026, 6, 30)
        cls.tier_user = new_test_user(
            cls.env, login="tier_user", name="Pavel Partner Manager",
            groups="amigo_partner_tiers.group_tier_user",
        )  # fmt: skip
        cls.tier_manager = new_test_user(
            cls.env, login="tier_manager", name="Elena Head",
            groups="amigo_partner_tiers.group_tier_manager",
        )  # fmt: skip
        cls.portal_user = new_test_user(
            cls.env, login="tier_portal", name="Dealer Portal", groups="base.group_portal"
        )
        cls.policy = cls.env["partner.tier.policy"].create(
            {
                "name": "Test policy",
                "company_id": cls.company.id,
                "sequence": 1,
                "period_months": 12,
                "weight_volume": 40,
                "weight_trend": 20,
                "weight_high_margin": 10,
                "weight_wallet": 20,
                "weight_matrix": 10,
                "target_volume": 1000,
                "target_trend": 20,
                "target_high_margin": 50,
                "target_wallet": 50,
                "target_matrix": 100,
                "high_margin_threshold": 40,
                "threshold_green": 70,
                "threshold_yellow": 45,
                "threshold_red": 20,
                "potential_high_headroom": 5000,
                "potential_medium_headroom": 1000,
            }
        )
        cls.category = cls.env["product.category"].create({"name": "Tier test blinds"})
        cls.premium_category = cls.env["product.category"].create(
            {"name": "Tier test premium", "tier_high_margin": True}
        )
        # cost 80 at price 100: 20% margin (below the 40% threshold)
        cls.blind = cls._product("Roller blind", 80.0, cls.category)
        # cost 50 at price 100: 50% margin (above the threshold)
        cls.fabric = cls._product("Premium fabric", 50.0, cls.category)
        # cost 90 at price 100, but its category is flagged high-margin
        cls.motor = cls._product("Motor", 90.0, cls.premium_category)
        cls.cord = cls._product("Cord", 80.0, cls.category)
        cls.matrix = cls.env["assortment.matrix"].create(
            {
                "name": "Test salon matrix",
                "line_ids": [
                    Command.create({"product_id": p.id})
                    for p in (cls.blind, cls.fabric, cls.motor, cls.cord)
                ],
            }
        )
        cls.dealer = cls.env["res.partner"].create(
            {
                "name": "Test Dealer",
                "is_company": True,
                "user_id": cls.tier_user.id,
                "estimated_purchase_volume": 2000,
                "assortment_matrix_id": cls.matrix.id,
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Dealer Buyer", "parent_id": cls.dealer.id, "type": "contact"}
        )
        cls.idle_dealer = cls.env["res.partner"].create(
            {"name": "Idle Dealer", "is_company": True, "estimated_purchase_volume": 5000}
        )
        cls.coin = cls.env["res.currency"].create(
            {"name": "TCN", "symbol": "T", "rounding": 0.01, "active": True}
        )
        # 1 company currency = 0.5 coin: an amount in coins is worth twice in company currency
        cls.env["res.currency.rate"].create(
            {"currency_id": cls.coin.id, "rate": 0.5, "name": "2020-01-01",
             "company_id": cls.company.id}
        )  # fmt: skip
        cls.coin_pricelist = cls.env["product.pricelist"].create(
            {"name": "Coin pricelist", "currency_id": cls.coin.id}
        )
        cls.tiers = {
            code: cls.env.ref(f"amigo_partner_tiers.tier_{code}")
            for code in ("green", "yellow", "red", "black")
        }

    @classmethod
    def _product(cls, name, cost, category):
        return cls.env["product.product"].create(
            {"name": f"Tier test {name}", "type": "consu", "list_price": 100.0,
             "standard_price": cost, "categ_id": category.id}
        )  # fmt: skip

    @classmethod
    def make_order(cls, partner, lines, when, state="sale", pricelist=None, company=None):
        """lines: [(product, qty, unit price)]; when: the order date (date or 'YYYY-MM-DD')."""
        vals = {
            "partner_id": partner.id,
            "order_line": [
                Command.create({"product_id": p.id, "product_uom_qty": q, "price_unit": price})
                for p, q, price in lines
            ],
        }
        if pricelist:
            vals["pricelist_id"] = pricelist.id
        if company:
            vals["company_id"] = company.id
        order = cls.env["sale.order"].create(vals)
        if state in ("sale", "cancel"):
            order.action_confirm()
        if state == "cancel":
            order._action_cancel()
        when = when if isinstance(when, date) else date.fromisoformat(when)
        order.date_order = datetime.combine(when, datetime.min.time().replace(hour=12))
        return order

    def assess(self, partners, when=None):
        return self.policy._assess(self.company, partners.ids, when or self.date)


class DealerCase(TiersCase):
    """A dealer with a portal user, a lead forwarded to it, another dealer and company B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.office = Partner.create(
            {"name": "Siberia office", "is_company": True, "estimated_purchase_volume": 9000}
        )
        cls.office_contact = Partner.create(
            {"name": "Office contact", "parent_id": cls.office.id, "email": "o@example.com"}
        )
        cls.dealer_user = new_test_user(
            cls.env, login="tier_dealer", groups="base.group_portal",
            partner_id=cls.office_contact.id,
        )  # fmt: skip
        cls.other_dealer = Partner.create({"name": "Another dealer", "is_company": True})
        cls.salesman = new_test_user(
            cls.env, login="tier_salesman", groups="sales_team.group_sale_salesman_all_leads"
        )
        cls.company_b = cls.env["res.company"].create({"name": "Tier test company B"})
        cls.env.user.company_ids |= cls.company_b
        cls.open_stage = cls.env["crm.stage"].search(
            [("is_won", "=", False), ("team_id", "=", False)], limit=1
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Blinds for a flat",
                "type": "opportunity",
                "dealer_partner_id": cls.office.id,
                "expected_revenue": 5000,
                "probability": 30,
                "user_id": cls.salesman.id,
                "stage_id": cls.open_stage.id,
            }
        )

    def snapshot(self, records, fnames):
        return records.sudo().with_context(active_test=False).read(fnames)
