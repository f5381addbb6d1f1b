import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import _as_validation_error
from odoo.tests import Form, tagged
from odoo.tools import SQL, mute_logger

from .common import ClaimsCase


class TestClaimStageSecurity(ClaimsCase):
    """A claim only ever moves through the claims stages of its team (issue 15)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.helpdesk_new = ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.helpdesk_cancelled = ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        cls.other_team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Other claims team", "is_claim_team": True, "sequence": 99}
        )
        Stage = cls.env["helpdesk.ticket.stage"]
        cls.other_team_open = Stage.create(
            {
                "name": "Other team: open",
                "sequence": 1,
                "is_claim_stage": True,
                "team_ids": [(4, cls.other_team.id)],
            }
        )
        cls.other_team_stage = Stage.create(
            {
                "name": "Other team: closed",
                "sequence": 2,
                "is_claim_stage": True,
                "closed": True,
                "team_ids": [(4, cls.other_team.id)],
            }
        )

    def test_a_claim_ready_to_close_is_refused_any_stage_but_its_teams_claims_stages(self):
        claim = self.make_claim(**self.close_values())
        for stage in (self.helpdesk_cancelled, self.helpdesk_new, self.other_team_stage):
            with (
                self.subTest(stage=stage.name),
                self.assertRaisesRegex(ValidationError, "claims stages of its team"),
            ):
                claim.with_user(self.claims_user).stage_id = stage
            claim.invalidate_recordset()
            self.assertEqual(claim.stage_id, self.stage_registered, "data unchanged")
            self.assertFalse(claim.closed_date)
        # its own claims stages stay open to it
        claim.with_user(self.claims_user).stage_id = self.stage_closed
        self.assertTrue(claim.closed_date)

    def test_closing_needs_a_claims_stage_before_anything_else(self):
        claim = self.make_claim()
        with self.assertRaises(ValidationError) as caught:
            claim.stage_id = self.helpdesk_cancelled
        self.assertIn("claims stages of its team", str(caught.exception))
        self.assertNotIn("missing", str(caught.exception))

    def test_a_claim_is_neither_created_in_nor_turned_into_a_claim_in_another_stage(self):
        with self.assertRaisesRegex(ValidationError, "claims stages of its team"):
            self.make_claim(stage_id=self.helpdesk_cancelled.id, **self.close_values())
        with self.assertRaisesRegex(ValidationError, "claims stages of its team"):
            self.make_claim(team_id=self.team.id, stage_id=self.other_team_stage.id)
        plain = self.Ticket.create({"name": "Question", "description": "<p>?</p>"})
        self.assertEqual(plain.stage_id, self.helpdesk_new)
        with self.assertRaisesRegex(ValidationError, "claims stages of its team"):
            plain.is_claim = True
        plain.invalidate_recordset()
        self.assertFalse(plain.is_claim)

    def test_moving_a_claim_to_another_claims_team_takes_that_teams_stage(self):
        claim = self.make_claim()
        claim.team_id = self.other_team
        self.assertTrue(claim.is_claim)
        self.assertEqual(claim.stage_id, self.other_team_open, "the new team's first stage")
        claim.team_id = self.team
        self.assertEqual(claim.stage_id, self.stage_registered)

    def test_portal_close_stages_of_a_claim_are_its_teams_flagged_claims_stages(self):
        self.stage_closed.close_from_portal = True
        claim = self.make_claim()
        self.assertEqual(claim._portal_close_stages(), self.stage_closed)
        plain = self.Ticket.create({"name": "Question", "description": "<p>?</p>"})
        self.assertIn(self.helpdesk_cancelled, plain._portal_close_stages())
        self.assertNotIn(self.stage_closed, plain._portal_close_stages())
        claim.write(dict(self.close_values(), stage_id=self.stage_closed.id))
        self.assertFalse(claim._portal_close_stages(), "nothing to close once closed")


class TestClaimsUserRights(ClaimsCase):
    """Claims staff read the orders claims are filed on; they get no sales rights."""

    def test_claims_user_has_no_sales_rights(self):
        for group in ("sales_team.group_sale_salesman", "sales_team.group_sale_salesman_all_leads"):
            self.assertFalse(self.claims_user.has_group(group), group)
            self.assertFalse(self.claims_manager.has_group(group), group)

    def test_claims_user_opens_a_claim_with_its_order_in_the_form(self):
        claim = self.make_claim(product=self.product_vertical, claim_quantity=2)
        form = Form(claim.with_user(self.claims_user))
        self.assertEqual(form.sale_order_id, self.order_a)
        self.assertEqual(form.product_id, self.product_vertical)
        self.assertEqual(
            {product.id for product in form.claim_product_ids},
            {self.product_roller.id, self.product_vertical.id},
        )
        order = self.order_a.with_user(self.claims_user)
        self.assertEqual(order.read(["name", "partner_id"])[0]["name"], self.order_a.name)
        self.assertEqual(sorted(order.order_line.mapped("product_uom_qty")), [4.0, 10.0])

    def test_claims_user_registers_a_claim_on_a_confirmed_order_without_claims(self):
        order = self._make_order(self.customer_b, [(self.product_vertical, 3)])
        form = Form(
            self.Ticket.with_user(self.claims_user).with_context(
                default_is_claim=True, default_team_id=self.team.id
            )
        )
        form.name = "Phoned in"
        form.description = "<p>Torn</p>"
        form.sale_order_id = order
        self.assertEqual(form.product_id, self.product_vertical, "the only product")
        form.claim_quantity = 2
        claim = form.save()
        self.assertEqual(claim.sale_order_id, order)
        self.assertEqual(claim.stage_id, self.stage_registered)

    def test_claims_user_changes_no_order_and_reads_no_quotation(self):
        quotation = self.env["sale.order"].create(
            {
                "partner_id": self.customer_a.id,
                "order_line": [(0, 0, {"product_id": self.product_roller.id})],
            }
        )
        self.make_claim()
        for user in (self.claims_user, self.claims_manager):
            order = self.order_a.with_user(user)
            with self.assertRaises(AccessError):
                order.write({"client_order_ref": "changed by claims"})
            with self.assertRaises(AccessError):
                order.order_line[:1].write({"product_uom_qty": 1})
            with self.assertRaises(AccessError):
                quotation.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                quotation.order_line.with_user(user).read(["price_unit"])
            with self.assertRaises(AccessError):
                self.env["sale.order"].with_user(user).create({"partner_id": self.customer_a.id})
            self.assertNotIn(
                quotation, self.env["sale.order"].with_user(user).search([]), "no quotation"
            )
        self.order_a.invalidate_recordset()
        self.assertFalse(self.order_a.client_order_ref)
        self.assertEqual(self.order_a.state, "sale")
        self.assertEqual(self.order_a.order_line[:1].product_uom_qty, 10)

    def test_claims_user_reads_a_cancelled_order_that_has_a_claim(self):
        claim = self.make_claim(order=self.order_b)
        self.order_b._action_cancel()
        self.assertEqual(self.order_b.state, "cancel")
        self.assertEqual(
            claim.with_user(self.claims_user).sale_order_id.read(["name"])[0]["name"],
            self.order_b.name,
        )


class TestClaimCompany(ClaimsCase):
    """A claim refers only to an order and a cause of its own company."""

    def test_order_and_cause_of_another_company_are_refused(self):
        company_b = self.env["res.company"].create({"name": "Claims company B"})
        partner_b = self.env["res.partner"].create({"name": "Customer of B"})
        order_b = (
            self.env["sale.order"]
            .with_company(company_b)
            .create(
                {
                    "partner_id": partner_b.id,
                    "company_id": company_b.id,
                    "order_line": [(0, 0, {"product_id": self.product_roller.id})],
                }
            )
        )
        order_b.action_confirm()
        cause_b = self.env["claim.cause"].create(
            {"name": "Test: cause of B", "company_id": company_b.id}
        )
        claim = self.make_claim()
        for vals in (
            {"sale_order_id": order_b.id, "product_id": False},
            {"claim_cause_id": cause_b.id},
        ):
            for user in (self.claims_user, self.env.user):
                with self.subTest(vals=vals, user=user.name), self.assertRaises(UserError):
                    claim.with_user(user).write(vals)
        with self.assertRaises(UserError):
            self.make_claim(order=order_b, product=self.product_roller)
        claim.invalidate_recordset()
        self.assertEqual(claim.sale_order_id, self.order_a)
        self.assertFalse(claim.claim_cause_id)


class TestClaimCauseUniqueness(ClaimsCase):
    def test_shared_cause_names_are_unique_too(self):
        Cause = self.env["claim.cause"]
        Cause.create({"name": "Test: shared cause", "category": "other"})
        with self.assertRaisesRegex(ValidationError, "Test: shared cause already exists"):
            Cause.create({"name": "Test: shared cause", "category": "process"})
        # an archived one counts as well, as in the database
        archived = Cause.create({"name": "Test: old cause", "active": False})
        with self.assertRaisesRegex(ValidationError, "Test: old cause already exists"):
            Cause.create({"name": "Test: old cause"})
        with self.assertRaisesRegex(ValidationError, "already exists"):
            Cause.create({"name": "Test: other"}).name = "Test: old cause"
        # one per company: a company may have its own cause of a shared cause's name
        own = Cause.create({"name": "Test: shared cause", "company_id": self.company.id})
        with self.assertRaisesRegex(ValidationError, "already exists"):
            Cause.create({"name": "Test: shared cause", "company_id": self.company.id})
        self.assertEqual(
            Cause.with_context(active_test=False).search_count(
                [("name", "in", ["Test: shared cause", "Test: old cause"])]
            ),
            3,
        )
        self.assertTrue(archived.exists() and own.exists())

    def test_the_database_refuses_a_duplicate_shared_cause_with_the_readable_message(self):
        self.env["claim.cause"].create({"name": "Test: raw shared", "category": "other"})
        self.env.flush_all()
        # what a concurrent save that passed the Python check meets: the unique index
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation) as caught,
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                SQL(
                    "INSERT INTO claim_cause (name, category, sequence, active) "
                    "VALUES (jsonb_build_object('en_US', %s), 'other', 10, TRUE)",
                    "Test: raw shared",
                )
            )
        self.assertEqual(caught.exception.diag.constraint_name, "claim_cause_name_company_uniq")
        # Odoo's RPC layer turns it into the constraint's message
        self.assertIn(
            "A claim cause with this name already exists.",
            str(_as_validation_error(self.env, caught.exception)),
        )


class TestClaimQuantityInput(ClaimsCase):
    def test_quantity_must_be_a_finite_number(self):
        claim = self.make_claim(claim_quantity=2)
        for value in (float("nan"), float("inf"), float("-inf")):
            with (
                self.subTest(value=value),
                self.assertRaisesRegex(ValidationError, "must be a number"),
            ):
                # as over RPC: the value reaches write() as it is
                claim.with_user(self.claims_user).write({"claim_quantity": value})
            with self.assertRaisesRegex(ValidationError, "must be a number"):
                self.make_claim(claim_quantity=value)
        claim.invalidate_recordset()
        self.assertEqual(claim.claim_quantity, 2)


class TestPortalCustomerOverRpc(ClaimsCase):
    """What a portal customer reaches on helpdesk.ticket over RPC (the ORM as that user)."""

    def test_portal_customer_reads_no_investigation_and_writes_nothing(self):
        claim = self.make_claim(partner_id=self.portal_a.partner_id.id, **self.close_values())
        own = claim.with_user(self.portal_a)
        [row] = own.read(["name", "stage_id", "sale_order_id", "product_id", "claim_quantity"])
        self.assertEqual(row["sale_order_id"][0], self.order_a.id)
        for field in ("claim_cause_id", "cause_category", "conclusion", "rejection_reason"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                own.read([field])
            with self.assertRaises(AccessError):
                own.search_read([("id", "=", claim.id)], [field])
        for vals in (
            {"stage_id": self.stage_closed.id},
            {"claim_cause_id": self.cause_process.id},
            {"conclusion": "Closed by the customer"},
            {"is_claim": False},
            {"sale_order_id": self.order_b.id},
            {"claim_quantity": 0},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                own.write(vals)
        with self.assertRaises(AccessError):
            self.Ticket.with_user(self.portal_a).create(
                {"name": "Self-filed", "is_claim": True, "sale_order_id": self.order_a.id}
            )
        claim.invalidate_recordset()
        self.assertEqual(claim.stage_id, self.stage_registered)
        self.assertEqual(claim.claim_cause_id, self.cause_human)
        self.assertEqual(claim.sale_order_id, self.order_a)
        self.assertTrue(claim.is_claim)


# funnel_sla's bookkeeping on a claim: internal operations data
SLA_FIELDS = (
    "sla_stage_date",
    "sla_deadline",
    "sla_escalation_deadline",
    "is_stalled",
    "is_sla_escalated",
    "sla_hours_in_stage",
)


@tagged("post_install", "-at_install")
class TestPortalCustomerSlaFields(ClaimsCase):
    """The demo portal customer reads their own claims, not the SLA bookkeeping on them."""

    def test_demo_portal_customer_reads_no_sla_field_of_own_claim(self):
        portal = self.env.ref("base.demo_user0")
        self.assertTrue(portal.share)
        claims = self.Ticket.search(
            [
                ("partner_id", "=", self.env.ref("base.partner_demo_portal").id),
                ("is_claim", "=", True),
            ]
        )
        self.assertTrue(claims, "the demo portal customer has claims (claims demo)")
        stored = [field for field in SLA_FIELDS if field != "sla_hours_in_stage"]
        before = claims.read(stored)
        own = claims.with_user(portal)
        # their own claims: readable
        self.assertEqual({row["id"] for row in own.read(["name", "stage_id"])}, set(claims.ids))
        for field in SLA_FIELDS:
            with self.subTest(field=field):
                with self.assertRaises(AccessError):
                    own.read([field])
                with self.assertRaises(AccessError):
                    own.search_read([("id", "in", claims.ids)], [field])
                if self.Ticket._fields[field].store:
                    with self.assertRaises(AccessError):
                        self.Ticket.with_user(portal).search([(field, "!=", False)])
        # nor are they described to a portal user
        self.assertFalse(set(SLA_FIELDS) & set(self.Ticket.with_user(portal).fields_get()))
        # employees of the claims team still read them, and nothing changed
        claims.invalidate_recordset()
        self.assertEqual(claims.with_user(self.claims_manager).read(stored), before)
        self.assertTrue(claims.with_user(self.claims_manager).read(["sla_hours_in_stage"]))
