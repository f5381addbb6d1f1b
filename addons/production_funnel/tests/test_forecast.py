from datetime import datetime, time, timedelta

from odoo import Command

from .common import ProductionFunnelCase


class TestForecast(ProductionFunnelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "PF Dealer Moscow"})

    def quotation(self, qty, **values):
        return self.env["sale.order"].create(
            dict(
                values,
                partner_id=self.customer.id,
                order_line=[
                    Command.create({"product_id": self.product_vertical.id, "product_uom_qty": qty})
                ],
            )
        )

    def test_opportunity_weighted_by_probability_on_closing_date(self):
        day = self.today() + timedelta(days=3)
        lead = self.env["crm.lead"].create(
            {
                "name": "PF Hotel refit",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "probability": 50,
                "date_deadline": day,
            }
        )
        self.quotation(10, opportunity_id=lead.id)
        rows = self.load_rows(self.line_daily, [day])
        # 10 units x 1 h x 50 %
        self.assertAlmostEqual(rows[day].forecast_hours, 5.0)
        self.assertEqual(rows[day].planned_hours, 0.0)
        lead.action_set_lost()
        rows = self.load_rows(self.line_daily, [day])
        self.assertEqual(rows[day].forecast_hours, 0.0)

    def test_confirmed_order_counts_until_production_starts(self):
        day = self.today() + timedelta(days=5)
        order = self.quotation(4, commitment_date=datetime.combine(day, time(12, 0)))
        rows = self.load_rows(self.line_daily, [day])
        self.assertEqual(rows[day].forecast_hours, 0.0)
        order.action_confirm()
        rows = self.load_rows(self.line_daily, [day])
        self.assertAlmostEqual(rows[day].forecast_hours, 4.0)
        self.line_daily.invalidate_recordset()
        self.assertAlmostEqual(self.line_daily.forecast_hours, 4.0)
        self.make_order(self.product_vertical, qty=4, sale_line_id=order.order_line.id)
        rows = self.load_rows(self.line_daily, [day])
        self.assertEqual(rows[day].forecast_hours, 0.0)

    def test_opportunity_without_closing_date_counts_today(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "PF Office refit",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "probability": 20,
            }
        )
        self.quotation(5, opportunity_id=lead.id)
        today = self.today()
        rows = self.load_rows(self.line_daily, [today])
        # 5 units x 1 h x 20 %
        self.assertAlmostEqual(rows[today].forecast_hours, 1.0)
