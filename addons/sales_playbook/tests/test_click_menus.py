from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestClickMenus(HttpCase):
    """Odoo's click-everywhere bot opens every menu of CRM, which holds the playbook's
    menus (reports, stages, teams), every view of their actions and every filter, and
    fails on any error the browser meets."""

    allow_end_on_form = True

    def _click_app(self, menu_xmlid, login):
        self.browser_js(
            "/odoo",
            "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
            f".startClickEverywhere('{menu_xmlid}');",
            "odoo.isReady === true",
            login=login,
            timeout=900,
            success_signal="clickbot test succeeded",
        )

    def test_click_everywhere_as_admin(self):
        self.env.ref("base.user_admin").tour_enabled = False
        self._click_app("crm.crm_menu_root", "admin")

    def test_click_everywhere_as_salesperson(self):
        user = new_test_user(
            self.env, login="pb_click_user", groups="base.group_user,sales_team.group_sale_salesman"
        )
        user.tour_enabled = False
        self._click_app("crm.crm_menu_root", "pb_click_user")
