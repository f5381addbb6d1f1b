from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

# name, monthly amount two years ago, monthly growth, share of each product
# (roller, vertical, venetian, blackout, motor, cassette), months without orders at the end
DEMO_DEALERS = [
    ("demo_dealer_okna", 260_000, 1.015, (3, 2, 2, 2, 2, 1), 0),
    ("demo_office_siberia", 200_000, 1.02, (3, 2, 2, 1, 1, 1), 0),
    ("demo_dealer_uyut", 150_000, 1.0, (4, 2, 2, 1, 0, 1), 0),
    ("demo_dealer_bigdom", 180_000, 0.985, (5, 3, 2, 0, 0, 0), 0),
    ("demo_dealer_solnce", 70_000, 0.97, (5, 0, 3, 0, 0, 0), 0),
    ("demo_dealer_zhalyuzi", 60_000, 0.9, (6, 0, 4, 0, 0, 0), 2),
    ("demo_dealer_tkan", 90_000, 1.0, (5, 5, 0, 0, 0, 0), 13),
]
DEMO_PRODUCTS = (
    "demo_product_roller",
    "demo_product_vertical",
    "demo_product_venetian",
    "demo_product_blackout",
    "demo_product_motor",
    "demo_product_cassette",
)


class PartnerTierPolicy(models.Model):
    _inherit = "partner.tier.policy"

    @api.model
    def _demo_generate(self):
        """Two years of monthly confirmed orders of the demo dealers, dated relative to
        today, then an assessment three months ago and one today."""
        ref = self.env.ref
        products = [ref(f"amigo_partner_tiers.{xmlid}") for xmlid in DEMO_PRODUCTS]
        today = fields.Date.context_today(self)
        orders = self.env["sale.order"]
        dates = {}
        for xmlid, amount, growth, mix, idle in DEMO_DEALERS:
            partner = ref(f"amigo_partner_tiers.{xmlid}")
            for month in range(24, idle, -1):
                monthly = amount * growth ** (24 - month)
                weight = sum(mix)
                lines = [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": max(
                                1, round(monthly * share / weight / product.list_price)
                            ),
                            "price_unit": product.list_price,
                        }
                    )  # fmt: skip
                    for product, share in zip(products, mix, strict=False)
                    if share
                ]
                order = orders.create({"partner_id": partner.id, "order_line": lines})
                orders |= order
                # monthly, back from three days before today: each rolling period of
                # 12 months ending on an assessment day holds exactly 12 of them, whatever
                # the day of the month (the 5th of each month gave 11 or 13 on the 1st-4th)
                dates[order] = today - relativedelta(months=month - 1, days=3)
        orders.action_confirm()
        for order, date in dates.items():
            order.date_order = fields.Datetime.to_datetime(date) + relativedelta(hours=10)
        company = self.env.company
        policy = self._for_company(company)
        policy._assess(company, date=today - relativedelta(months=3))
        policy._assess(company, date=today)
