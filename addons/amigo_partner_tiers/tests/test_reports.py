from datetime import date

from odoo.tests import new_test_user, tagged

from .common import TiersCase


@tagged("post_install", "-at_install")
class TestReports(TiersCase):
    def test_tier_migration_per_manager(self):
        other_manager = new_test_user(
            self.env, login="tier_user_2", groups="amigo_partner_tiers.group_tier_user"
        )
        Partner = self.env["res.partner"]
        climber, faller, stayer = Partner.create(
            [
                {"name": "Climber", "is_company": True, "user_id": self.tier_user.id},
                {"name": "Faller", "is_company": True, "user_id": self.tier_user.id},
                {"name": "Stayer", "is_company": True, "user_id": other_manager.id},
            ]
        )
        # climber: nothing at first (black), then big sales (green)
        # faller: big sales in the first period, nothing later
        self.make_order(faller, [(self.blind, 20, 100.0), (self.fabric, 20, 100.0)], "2025-03-01")
        first = date(2025, 6, 30)
        self.assess(climber | faller | stayer, first)
        self.make_order(climber, [(self.blind, 20, 100.0), (self.fabric, 20, 100.0)],
                        "2026-03-01")  # fmt: skip
        self.assess(climber | faller | stayer, self.date)
        self.assertEqual(faller.tier_id, self.tiers["black"])
        self.assertEqual(climber.tier_assessment_ids.sorted("date")[0].tier_id.code, "black")
        self.assertNotEqual(climber.tier_id.code, "black")
        wizard = (
            self.env["partner.tier.migration.wizard"]
            .with_user(self.tier_user)
            .create({"date_from": first, "date_to": self.date})
        )
        action = wizard.action_compute()
        lines = self.env[action["res_model"]].search(action["domain"])
        by_user = {line.user_id: line for line in lines}
        mine = by_user[self.tier_user]
        self.assertEqual((mine.up, mine.down, mine.same, mine.new), (1, 1, 0, 0))
        theirs = by_user[other_manager]
        self.assertEqual((theirs.up, theirs.down, theirs.same, theirs.new), (0, 0, 1, 0))
        self.assertEqual(theirs.black, 1)
        # a window before any assessment: all are new
        wizard.date_from = date(2020, 1, 1)
        action = wizard.action_compute()
        lines = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(sum(lines.mapped("new")), 3)

    def test_potential_list_and_partners_by_tier(self):
        big = self.env["res.partner"].create(
            {"name": "Big buyer elsewhere", "is_company": True, "estimated_purchase_volume": 90000}
        )
        self.make_order(big, [(self.blind, 5, 100.0)], "2026-03-01")
        self.make_order(self.dealer, [(self.blind, 10, 100.0)], "2026-03-01")
        self.assess(big | self.dealer | self.idle_dealer)
        self.assertEqual(big.tier_potential, "high")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amigo_partner_tiers.action_partner_high_potential"
        )
        from odoo.tools.safe_eval import safe_eval

        found = self.env["res.partner"].search(safe_eval(action["domain"]))
        self.assertIn(big, found)
        self.assertIn(self.idle_dealer, found)  # black, 5000 estimated, nothing bought
        self.assertNotIn(self.dealer, found)  # green
        groups = (
            self.env["res.partner"]
            .with_user(self.tier_user)
            ._read_group(
                [("id", "in", (big | self.dealer | self.idle_dealer).ids)],
                ["tier_id", "user_id"],
                ["__count"],
            )
        )
        counts = {(tier.code, user): count for tier, user, count in groups}
        self.assertEqual(counts[("green", self.tier_user)], 1)
