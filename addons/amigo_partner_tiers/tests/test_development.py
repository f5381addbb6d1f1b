from odoo.tests import tagged

from .common import TiersCase


@tagged("post_install", "-at_install")
class TestDevelopmentFunnels(TiersCase):
    def test_three_programmes_are_data(self):
        programs = self.env["partner.development.program"].search([])
        for xmlid in ("dev_program_moscow", "dev_program_regions", "dev_program_offices"):
            program = self.env.ref(f"amigo_partner_tiers.{xmlid}")
            self.assertIn(program, programs)
            self.assertTrue(program.stage_ids)
        offices = self.env.ref("amigo_partner_tiers.dev_program_offices")
        self.assertIn(self.env.ref("amigo_partner_tiers.dev_stage_office_setup"), offices.stage_ids)

    def test_kanban_groups_partners_by_stage_of_their_programme(self):
        program = self.env.ref("amigo_partner_tiers.dev_program_moscow")
        first_order = self.env.ref("amigo_partner_tiers.dev_stage_first_order")
        before = program.partner_count
        program.invalidate_recordset(["partner_count"])
        self.dealer.with_user(self.tier_user).sudo().write(
            {"development_program": program.id, "development_stage_id": first_order.id}
        )
        action = program.with_user(self.tier_user).action_open_kanban()
        self.assertEqual(action["domain"], [("development_program", "=", program.id)])
        Partner = (
            self.env["res.partner"]
            .with_user(self.tier_user)
            .with_context(development_program_id=program.id)
        )
        groups = Partner.web_read_group(
            action["domain"], ["development_stage_id"], ["development_stage_id"]
        )["groups"]
        stage_ids = [g["development_stage_id"][0] for g in groups]
        # every stage of the programme is a column, even empty ones; not another's stages
        self.assertEqual(stage_ids, program.stage_ids.sorted().ids)
        column = next(g for g in groups if g["development_stage_id"][0] == first_order.id)
        self.assertIn(self.dealer, Partner.search(column["__domain"]))
        self.assertEqual(program.partner_count, before + 1)
        # activities on the partner appear on its card
        self.dealer.activity_schedule("mail.mail_activity_data_todo", summary="Showroom visit",
                                      user_id=self.tier_user.id)  # fmt: skip
        self.assertTrue(self.dealer.with_user(self.tier_user).activity_ids)
