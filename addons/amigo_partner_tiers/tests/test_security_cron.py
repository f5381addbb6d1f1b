"""The nightly tier run against users editing partners at the same time (issue 15): it
never waits for a user, and one partner being edited never costs its company the run."""

from odoo import api, fields
from odoo.tests import tagged

from .common import TiersCase


@tagged("post_install", "-at_install")
class TestCronVsUsers(TiersCase):
    def today_rows(self, partner):
        return self.env["partner.tier.assessment"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company.id),
             ("date", "=", fields.Date.context_today(self.policy))]
        )  # fmt: skip

    def test_the_nightly_run_skips_a_partner_a_user_is_editing(self):
        # a dealer of the demo: committed, so that another connection can lock it
        busy = self.env.ref("amigo_partner_tiers.demo_dealer_uyut")
        before = self.today_rows(busy).read(["write_date", "score"])
        cron = self.env.ref("amigo_partner_tiers.ir_cron_assess_tiers")
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "remaining": 0, "done": 0}
        )
        self.env.flush_all()
        # a user is saving the dealer: their transaction holds its row until it ends
        user_cr = self.registry.cursor()
        self.addCleanup(user_cr.close)
        user_env = api.Environment(user_cr, self.env.uid, {})
        user_env["res.partner"].browse(busy.id).write({"comment": "on the phone"})
        user_env.flush_all()
        # the run never waits for the user: a wait would end in an error after 2 s
        self.env.cr.execute("SET LOCAL lock_timeout = '2s'")
        Policy = self.env["partner.tier.policy"]
        Policy.with_context(ir_cron_progress_id=progress.id)._cron_assess_tiers()
        # the rest of the company is assessed, the busy dealer is left as it was
        self.assertEqual(len(self.today_rows(self.dealer)), 1)
        self.assertEqual(len(self.today_rows(self.idle_dealer)), 1)
        self.assertEqual(self.today_rows(busy).read(["write_date", "score"]), before)
        # ... and reported as remaining, so that Odoo's cron runner comes back for it
        self.assertEqual(progress.remaining, 1)
        self.assertGreater(progress.done, 1)
        # the user is done; the next run picks the dealer up, the others stay one a day
        user_cr.rollback()
        Policy._cron_assess_tiers()
        self.assertEqual(len(self.today_rows(busy)), 1)
        self.assertEqual(self.today_rows(busy).write_date, self.env.cr.now())
        self.assertEqual(len(self.today_rows(self.dealer)), 1)
