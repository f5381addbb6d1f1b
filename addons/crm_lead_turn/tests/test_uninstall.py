from odoo.tests import TransactionCase
from odoo.tools import SQL

from ..hooks import uninstall_hook


class TestUninstall(TransactionCase):
    def test_uninstall_removes_the_counters_and_their_sequences(self):
        teams = self.env["crm.team"].with_context(active_test=False).search([])
        teams |= self.env["crm.team"].create({"name": "Uninstall team"})
        sequences = teams._turn_sequences()
        self.assertEqual(len(sequences), len(teams))
        names = tuple(f"ir_sequence_{sequence.id:03d}" for sequence in sequences)
        other = self.env["ir.sequence"].create({"name": "Not ours", "code": "crm-lead-turn.team-1"})
        uninstall_hook(self.env)
        self.assertFalse(sequences.exists())
        self.assertTrue(other.exists(), 'only the turn counters ("_" is no wildcard)')
        self.env.cr.execute(SQL("SELECT count(*) FROM pg_class WHERE relname IN %s", names))
        self.assertEqual(self.env.cr.fetchone()[0], 0)
