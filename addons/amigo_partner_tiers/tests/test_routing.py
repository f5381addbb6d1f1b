import importlib.util

from odoo import Command
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL
from odoo.tools.sql import column_exists


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

    def routed_users(self, count, state=None):
        return [self.lead(state_id=(state or self.omsk).id).user_id for _ in range(count)]

    def assertInTurn(self, users, cycle):
        """``users`` follow ``cycle`` from wherever the team's turns stood (the turn
        counter is a database sequence: earlier tests of the class moved it on)."""
        start = cycle.index(users[0])
        self.assertEqual(users, [cycle[(start + i) % len(cycle)] for i in range(len(users))])

    def test_round_robin_among_members(self):
        self.assertInTurn(self.routed_users(4), [self.m1, self.m2, self.m3])

    def test_round_robin_is_crm_lead_turn_without_a_pointer_on_the_team(self):
        """The turns are crm_lead_turn's counter: taking one writes no row of the team
        (two routed leads at once cannot collide on it) and the team keeps no pointer."""
        self.assertNotIn("region_last_user_id", self.env["crm.team"]._fields)
        sequence = self.omsk_team._turn_sequences()
        self.assertEqual(len(sequence), 1)
        before = sequence.number_next_actual
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT xmin::text FROM crm_team WHERE id = %s", self.omsk_team.id))
        row_version = self.env.cr.fetchone()[0]
        users = self.routed_users(3)
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT xmin::text FROM crm_team WHERE id = %s", self.omsk_team.id))
        self.assertEqual(self.env.cr.fetchone()[0], row_version, "the team row is not written")
        sequence.invalidate_recordset()
        self.assertEqual(sequence.number_next_actual, before + 3, "one turn per routed lead")
        self.assertEqual(set(users), {self.m1, self.m2, self.m3})

    def test_round_robin_skips_opted_out_and_archived_members(self):
        members = self.omsk_team.crm_team_member_ids
        members.filtered(lambda m: m.user_id == self.m2).assignment_optout = True
        self.assertInTurn(self.routed_users(4), [self.m1, self.m3])
        members.filtered(lambda m: m.user_id == self.m2).assignment_optout = False
        self.m3.active = False
        self.assertInTurn(self.routed_users(4), [self.m1, self.m2])
        self.m3.active = True
        members.filtered(lambda m: m.user_id == self.m1).active = False
        self.assertInTurn(self.routed_users(4), [self.m2, self.m3])

    def test_round_robin_weighted_and_capped_as_the_team_sets(self):
        members = self.omsk_team.crm_team_member_ids
        capacity = {self.m1: 60, self.m2: 30, self.m3: 30}
        for member in members:
            member.assignment_max = capacity[member.user_id]
        self.omsk_team.turn_weighted = True
        users = self.routed_users(8)
        self.assertEqual([users.count(u) for u in (self.m1, self.m2, self.m3)], [4, 2, 2])
        self.assertFalse([i for i in range(7) if users[i] == users[i + 1]], "never twice in a row")
        # capped per day: 30 a month is one lead a day, 60 two; the leads above count
        self.omsk_team.turn_weighted = False
        self.omsk_team.turn_daily_cap = True
        self.env["crm.lead"].search([("team_id", "=", self.omsk_team.id)]).unlink()
        self.assertEqual(
            sorted(u.id for u in self.routed_users(4)),
            sorted([self.m1.id, self.m1.id, self.m2.id, self.m3.id]),
        )
        # everyone had their share today: the team leader takes the lead and reassigns it
        self.assertEqual(self.routed_users(1), [self.leader])

    def test_round_robin_without_member_to_take_the_turn_goes_to_the_leader(self):
        self.omsk_team.crm_team_member_ids.assignment_optout = True
        lead = self.lead(zip="644000")
        self.assertEqual(lead.team_id, self.omsk_team)
        self.assertEqual(lead.user_id, self.leader)
        self.assertTrue(lead.region_routed)

    def test_the_upgrade_drops_the_pointer_column(self):
        path = (
            f"{get_module_path('amigo_partner_tiers')}"
            "/migrations/18.0.1.1.0/post-drop_region_pointer.py"
        )
        spec = importlib.util.spec_from_file_location("amigo_partner_tiers_routing", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        cr = self.env.cr
        self.assertFalse(column_exists(cr, "crm_team", "region_last_user_id"))
        savepoint = cr.savepoint()
        try:
            cr.execute(
                SQL(
                    "ALTER TABLE crm_team ADD COLUMN region_last_user_id int4 "
                    "REFERENCES res_users(id) ON DELETE SET NULL"
                )
            )
            cr.execute(
                SQL("UPDATE crm_team SET region_last_user_id = %s WHERE id = %s",
                    self.m1.id, self.omsk_team.id)
            )  # fmt: skip
            migration.migrate(cr, "18.0.1.0.0")
            self.assertFalse(column_exists(cr, "crm_team", "region_last_user_id"))
            migration.migrate(cr, "18.0.1.0.0")  # a second run finds nothing to do
        finally:
            savepoint.close(rollback=True)
        self.assertInTurn(self.routed_users(3), [self.m1, self.m2, self.m3])

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
