from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRegionalRouting(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.russia = cls.env.ref("base.ru")
        State = cls.env["res.country.state"]
        cls.novosibirsk = State.create(
            {"name": "Test Novosibirsk", "code": "TNVS", "country_id": cls.russia.id}
        )
        cls.omsk = State.create({"name": "Test Omsk", "code": "TOMS", "country_id": cls.russia.id})
        cls.tver = State.create({"name": "Test Tver", "code": "TTVE", "country_id": cls.russia.id})
        users = [
            new_test_user(cls.env, login=f"route_{n}", groups="sales_team.group_sale_salesman")
            for n in ("leader", "m1", "m2", "m3", "central")
        ]
        cls.leader, cls.m1, cls.m2, cls.m3, cls.central_user = users
        Team = cls.env["crm.team"]
        cls.siberia = Team.create(
            {
                "name": "Amigo Siberia",
                "user_id": cls.leader.id,
                "region_state_ids": [Command.set([cls.novosibirsk.id])],
                "region_assignment": "leader",
            }
        )
        cls.omsk_team = Team.create(
            {
                "name": "Amigo Omsk",
                "user_id": cls.leader.id,
                "region_state_ids": [Command.set([cls.omsk.id])],
                "region_assignment": "round_robin",
                "crm_team_member_ids": [
                    Command.create({"user_id": u.id}) for u in (cls.m1, cls.m2, cls.m3)
                ],
            }
        )
        cls.central = Team.create(
            {"name": "Central", "user_id": cls.central_user.id, "is_central_team": True}
        )
        # the tests' own mapping only (demo data maps Novosibirsk too)
        cls.env["crm.region.mapping"].search([]).unlink()
        (Team.search([("is_central_team", "=", True)]) - cls.central).is_central_team = False
        cls.env["crm.region.mapping"].create(
            [
                {"kind": "city", "value": "Novosibirsk", "state_id": cls.novosibirsk.id},
                {"kind": "zip", "value": "630", "state_id": cls.novosibirsk.id},
                {"kind": "zip", "value": "644", "state_id": cls.omsk.id},
                {"kind": "phone", "value": "7383", "state_id": cls.novosibirsk.id},
                {"kind": "phone", "value": "7381", "state_id": cls.omsk.id},
            ]
        )

    def lead(self, **vals):
        return self.env["crm.lead"].create(dict({"name": "Web lead", "type": "lead"}, **vals))

    def test_state_routes_to_team_leader(self):
        lead = self.lead(state_id=self.novosibirsk.id)
        self.assertEqual(lead.team_id, self.siberia)
        self.assertEqual(lead.user_id, self.leader)
        self.assertTrue(lead.region_routed)

    def test_city_zip_phone_map_to_the_region(self):
        by_city = self.lead(city="  novosibirsk ")
        self.assertEqual(by_city.state_id, self.novosibirsk)
        self.assertEqual(by_city.country_id, self.russia)
        self.assertEqual(by_city.team_id, self.siberia)
        by_zip = self.lead(zip="630099")
        self.assertEqual(by_zip.team_id, self.siberia)
        by_phone = self.lead(phone="+7 (383) 555-12-12")
        self.assertEqual(by_phone.state_id, self.novosibirsk)
        self.assertEqual(by_phone.team_id, self.siberia)
        self.assertEqual(self.lead(phone="+7 381 200 00 00").team_id, self.omsk_team)

    def test_longest_zip_prefix_wins(self):
        self.env["crm.region.mapping"].create(
            {"kind": "zip", "value": "6301", "state_id": self.omsk.id}
        )
        Mapping = self.env["crm.region.mapping"]
        self.assertEqual(Mapping._state_for(zip_code="630123"), self.omsk)
        self.assertEqual(Mapping._state_for(zip_code="630999"), self.novosibirsk)
        self.assertFalse(Mapping._state_for(zip_code="101000"))

    def test_round_robin_among_members(self):
        users = [self.lead(state_id=self.omsk.id).user_id for _ in range(4)]
        self.assertEqual(users, [self.m1, self.m2, self.m3, self.m1])
        self.assertEqual(self.omsk_team.region_last_user_id, self.m1)

    def test_crm_rules_leave_the_salesperson_to_crm(self):
        self.omsk_team.region_assignment = "crm"
        lead = self.lead(zip="644000")
        self.assertEqual(lead.team_id, self.omsk_team)
        self.assertFalse(lead.user_id)

    def test_uncovered_region_stays_with_the_central_team(self):
        lead = self.lead(state_id=self.tver.id)
        self.assertEqual(lead.team_id, self.central)
        self.assertEqual(lead.user_id, self.central_user)
        self.assertFalse(lead.region_routed)

    def test_explicit_team_or_salesperson_wins(self):
        lead = self.lead(state_id=self.novosibirsk.id, team_id=self.omsk_team.id)
        self.assertEqual(lead.team_id, self.omsk_team)
        lead = self.lead(state_id=self.novosibirsk.id, user_id=self.m2.id)
        self.assertEqual(lead.user_id, self.m2)
        self.assertFalse(lead.region_routed)

    def test_no_region_keeps_crm_defaults(self):
        lead = self.lead(city="Atlantis")
        self.assertFalse(lead.region_routed)
        self.assertNotEqual(lead.team_id, self.siberia)

    def test_lead_created_by_a_salesman_of_another_team(self):
        operator = new_test_user(
            self.env, login="route_operator", groups="sales_team.group_sale_salesman_all_leads"
        )
        lead = (
            self.env["crm.lead"]
            .with_user(operator)
            .create({"name": "Phoned in", "state_id": self.novosibirsk.id})
        )
        self.assertEqual(lead.sudo().team_id, self.siberia)
