from odoo.tests import tagged

from .common import NeedsCase


@tagged("post_install", "-at_install")
class TestReports(NeedsCase):
    def test_need_and_list_reports_render(self):
        need = self.make_need(self.p1 | self.p2, qty=3)
        closed = self.make_need(self.p3, user=self.manager_2)
        closed.mark_lost("Tender lost")
        Report = self.env["ir.actions.report"].with_user(self.head)
        html, _ = Report._render_qweb_html("needs_registry.action_report_customer_need", need.ids)
        html = html.decode()
        self.assertIn(need.name, html)
        self.assertIn("T-001", html)
        self.assertIn(self.customer.name, html)
        html, _ = Report._render_qweb_html(
            "needs_registry.action_report_customer_need_list", (need | closed).ids
        )
        html = html.decode()
        self.assertIn(need.name, html)
        self.assertIn(closed.name, html)
        self.assertIn("closed: <span>1</span>", html)

    def test_print_wizard_scopes_follow_record_rules(self):
        mine_open = self.make_need(self.p1, user=self.manager_1)
        mine_lost = self.make_need(self.p2, user=self.manager_1)
        mine_lost.mark_lost("No budget")
        mine_converted = self.make_need(self.p4, user=self.manager_1)
        mine_converted.action_convert_to_opportunity()
        theirs = self.make_need(self.p3, user=self.manager_2)
        Wizard = self.env["customer.need.print.wizard"]
        for user, scope, expected in (
            (self.manager_1, "open", mine_open),
            (self.manager_1, "closed", mine_lost | mine_converted),
            (self.manager_1, "all", mine_open | mine_lost | mine_converted),
            (self.head, "open", mine_open | theirs),
        ):
            wizard = Wizard.with_user(user).create({"scope": scope})
            action = wizard.action_print()
            self.assertEqual(action["report_name"], "needs_registry.report_customer_need_list")
            printed = self.env["customer.need"].browse(action["context"]["active_ids"])
            self.assertEqual(
                printed & (mine_open | mine_lost | mine_converted | theirs),
                expected,
                f"{user.name} / {scope}",
            )
