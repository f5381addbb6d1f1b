from datetime import datetime

from odoo.tests import TransactionCase, new_test_user


class ClaimsCase(TransactionCase):
    """Claims team and stages from the data, two customers with confirmed orders, users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        ref = cls.env.ref
        cls.company = cls.env.company
        cls.team = ref("claims.helpdesk_team_claims")
        cls.stage_registered = ref("claims.stage_claim_registered")
        cls.stage_investigation = ref("claims.stage_claim_investigation")
        cls.stage_decision = ref("claims.stage_claim_decision")
        cls.stage_remedy = ref("claims.stage_claim_remedy")
        cls.stage_closed = ref("claims.stage_claim_closed")
        cls.stage_rejected = ref("claims.stage_claim_rejected")
        Cause = cls.env["claim.cause"]
        cls.cause_process = Cause.create({"name": "Test: no check step", "category": "process"})
        cls.cause_human = Cause.create({"name": "Test: operator slip", "category": "human"})
        cls.cause_material = Cause.create({"name": "Test: bad fabric", "category": "material"})

        cls.claims_leader = new_test_user(
            cls.env,
            login="claims_leader",
            name="Claims Leader",
            groups="claims.group_claims_manager",
        )
        cls.claims_user = new_test_user(
            cls.env, login="claims_user", name="Claims User", groups="claims.group_claims_user"
        )
        cls.claims_user2 = new_test_user(
            cls.env,
            login="claims_user2",
            name="Claims Colleague",
            groups="claims.group_claims_user",
        )
        cls.claims_manager = new_test_user(
            cls.env,
            login="claims_manager",
            name="Claims Manager",
            groups="claims.group_claims_manager",
        )
        cls.internal_user = new_test_user(
            cls.env, login="claims_internal", name="Plain Employee", groups="base.group_user"
        )
        cls.team.write(
            {
                "user_id": cls.claims_leader.id,
                "user_ids": [
                    (4, u.id) for u in (cls.claims_leader, cls.claims_user, cls.claims_user2)
                ],
            }
        )

        Partner = cls.env["res.partner"]
        cls.customer_a = Partner.create({"name": "Dealer A", "is_company": True})
        cls.customer_b = Partner.create({"name": "Dealer B", "is_company": True})
        cls.portal_a = new_test_user(
            cls.env, login="claims_portal_a", name="Portal A", groups="base.group_portal"
        )
        cls.portal_a.partner_id.parent_id = cls.customer_a
        cls.portal_b = new_test_user(
            cls.env, login="claims_portal_b", name="Portal B", groups="base.group_portal"
        )
        cls.portal_b.partner_id.parent_id = cls.customer_b

        Product = cls.env["product.product"]
        cls.product_roller = Product.create(
            {"name": "Test roller blind", "type": "consu", "list_price": 100.0}
        )
        cls.product_vertical = Product.create(
            {"name": "Test vertical blind", "type": "consu", "list_price": 200.0}
        )
        cls.product_other = Product.create({"name": "Test cornice", "type": "consu"})
        cls.order_a = cls._make_order(
            cls.customer_a, [(cls.product_roller, 10), (cls.product_vertical, 4)]
        )
        cls.order_b = cls._make_order(cls.customer_b, [(cls.product_roller, 5)])
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.long_ago = datetime(2020, 1, 6, 6, 0)

    @classmethod
    def _make_order(cls, partner, lines):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )
        order.action_confirm()
        order.message_subscribe(partner_ids=partner.ids)
        return order

    def make_claim(self, order=None, product=None, **values):
        order = order or self.order_a
        vals = {
            "name": "Claim",
            "description": "<p>Broken</p>",
            "is_claim": True,
            "partner_id": order.partner_id.id,
            "sale_order_id": order.id,
            "product_id": (product or self.product_roller).id,
            "claim_quantity": 1,
            "user_id": self.claims_user.id,
        }
        vals.update(values)
        return self.Ticket.create(vals)

    def close_values(self, cause=None, **values):
        vals = {
            "claim_cause_id": (cause or self.cause_human).id,
            "conclusion": "The operator skipped the check.",
        }
        vals.update(values)
        return vals
