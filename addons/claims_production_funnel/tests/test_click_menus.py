from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestClickMenus(HttpCase):
    """Odoo's click-everywhere bot opens every menu of Helpdesk with the bridge
    installed (the claims per line analysis), every view of their actions and every
    filter, and fails on any error the browser meets."""

    allow_end_on_form = True

    def test_click_everywhere_as_admin(self):
        self.env.ref("base.user_admin").tour_enabled = False
        self.browser_js(
            "/odoo",
            "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
            ".startClickEverywhere('helpdesk_mgmt.helpdesk_ticket_main_menu');",
            "odoo.isReady === true",
            login="admin",
            timeout=900,
            success_signal="clickbot test succeeded",
        )
