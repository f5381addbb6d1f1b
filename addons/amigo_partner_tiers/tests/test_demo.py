from dateutil.relativedelta import relativedelta

from odoo.tests import TransactionCase, tagged

DEMO_DEALERS = (
    "demo_dealer_okna",
    "demo_office_siberia",
    "demo_dealer_uyut",
    "demo_dealer_bigdom",
    "demo_dealer_solnce",
    "demo_dealer_zhalyuzi",
    "demo_dealer_tkan",
)


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    def test_demo_dealers_span_every_tier_whatever_the_day_of_the_month(self):
        """The demo's orders are dated back from the day of the install, one a month, so
        that each assessment period holds the same twelve whatever the day: dated on the
        5th, an install on the 1st to the 4th of a month put this month's order in the
        future and no dealer was yellow."""
        dealers = self.env["res.partner"].browse(
            [self.env.ref(f"amigo_partner_tiers.{xmlid}").id for xmlid in DEMO_DEALERS]
        )
        orders = self.env["sale.order"].search(
            [("partner_id", "in", dealers.ids), ("state", "=", "sale")]
        )
        self.assertTrue(orders, "the demo data of amigo_partner_tiers is not loaded")
        latest = max(dealers.tier_assessment_ids.mapped("date"))
        uyut = self.env.ref("amigo_partner_tiers.demo_dealer_uyut")
        start = latest - relativedelta(years=1, days=-1)
        self.assertEqual(
            len(orders.filtered(lambda o: o.partner_id == uyut and o.date_order.date() >= start)),
            12,
        )
        self.assertEqual(set(dealers.tier_id.mapped("code")), {"green", "yellow", "red", "black"})

    def test_the_demo_history_is_demo_data(self):
        """The generator of the demo's orders and assessments is demo data (a server
        action of the demo files, run once when they load), not code every database
        ships."""
        self.assertFalse(hasattr(self.env["partner.tier.policy"], "_demo_generate"))
        action = self.env.ref("amigo_partner_tiers.demo_action_tier_history")
        data = self.env["ir.model.data"].search(
            [("model", "=", "ir.actions.server"), ("res_id", "=", action.id)]
        )
        self.assertTrue(data.noupdate, "loaded with the demo data")
