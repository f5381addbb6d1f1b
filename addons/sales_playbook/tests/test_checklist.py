from odoo.exceptions import UserError
from odoo.tests import Form

from .common import PlaybookCase


class TestChecklist(PlaybookCase):
    """Stage checklists: items to tick, some required to move on; hints; history."""

    def setUp(self):
        super().setUp()
        self.lead = self.make_lead(name="Clinic beds")
        # the salesperson whose turn it was (Anna or Boris): "anna" in these tests
        self.anna = self.lead.user_id
        self.boris = self.colleague_of(self.anna)
        self.lead_as_anna = self.lead.with_user(self.anna)

    def line(self, item, lead=None):
        return (lead or self.lead).checklist_line_ids.filtered(lambda line: line.item_id == item)

    def test_the_lead_gets_its_stage_checklist_and_shows_the_progress(self):
        self.assertEqual(
            self.lead.checklist_current_line_ids.item_id, self.item_call | self.item_need
        )
        self.assertEqual((self.lead.checklist_done_count, self.lead.checklist_count), (0, 2))
        self.line(self.item_need).with_user(self.anna).done = True
        self.assertEqual((self.lead.checklist_done_count, self.lead.checklist_count), (1, 2))
        self.assertEqual(self.lead.checklist_progress, 50.0)

    def test_leaving_forward_needs_the_required_items_and_names_them(self):
        with self.assertRaisesRegex(UserError, "Call the customer") as refused:
            self.lead_as_anna.stage_id = self.s_qualified
        self.assertNotIn("Note the need", str(refused.exception), "only the required ones")
        self.assertEqual(self.lead.stage_id, self.s_interest)
        # skipping a stage does not skip the checklist of the stage left
        with self.assertRaisesRegex(UserError, "Call the customer"):
            self.lead_as_anna.write({"stage_id": self.s_proposal.id})
        self.line(self.item_call).with_user(self.anna).done = True
        self.lead_as_anna.stage_id = self.s_qualified
        self.assertEqual(self.lead.stage_id, self.s_qualified)
        self.assertEqual(self.lead.checklist_current_line_ids.item_id, self.item_details)

    def test_ticking_and_moving_in_one_save_as_the_form_does(self):
        call = self.line(self.item_call)
        self.lead_as_anna.write(
            {
                "checklist_current_line_ids": [(1, call.id, {"done": True})],
                "stage_id": self.s_qualified.id,
            }
        )
        self.assertEqual(self.lead.stage_id, self.s_qualified)
        self.assertTrue(call.done)
        self.assertEqual(call.done_by_id, self.anna)
        self.assertTrue(call.done_date)

    def test_moving_back_is_free_and_tracked(self):
        self.line(self.item_call).with_user(self.anna).done = True
        lead = self.lead_as_anna.with_context(tracking_disable=False)
        # each move its own save (tracking compares a transaction's first and last values)
        lead.stage_id = self.s_qualified
        self.close_transaction()
        lead.stage_id = self.s_interest  # back, with "Get the company details" undone
        self.close_transaction()
        self.assertEqual(self.lead.stage_id, self.s_interest)
        moves = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "crm.lead"),
                ("mail_message_id.res_id", "=", self.lead.id),
                ("field_id.name", "=", "stage_id"),
            ]
        )
        self.assertIn(
            (self.s_qualified.id, self.s_interest.id),
            [(move.old_value_integer, move.new_value_integer) for move in moves],
        )
        # back in the stage, its ticks are still there
        self.assertTrue(self.line(self.item_call).done)

    def test_who_ticked_what_and_unticking_are_kept(self):
        call = self.line(self.item_call)
        call.with_user(self.anna).done = True
        self.assertEqual((call.done_by_id, bool(call.done_date)), (self.anna, True))
        call.with_user(self.head).done = False
        self.assertFalse(call.done_by_id)
        notes = self.lead.message_ids.filtered(lambda m: "Checklist" in (m.body or "")).mapped(
            "body"
        )
        self.assertTrue(any("ticked" in body and "Call the customer" in body for body in notes))
        self.assertTrue(
            any("unticked" in body and f"ticked by {self.anna.name}" in body for body in notes),
            "the untick says who had ticked it",
        )
        message = self.lead.message_ids.filtered(lambda m: "unticked" in (m.body or ""))[:1]
        self.assertEqual(message.message_type, "notification", "not a comment one may edit")

    def test_a_salesperson_without_e_mail_ticks_too(self):
        self.anna.email = False
        self.line(self.item_call).with_user(self.anna).done = True
        self.assertTrue(self.line(self.item_call).done)
        self.assertTrue(self.lead.message_ids.filtered(lambda m: "ticked" in (m.body or "")))

    def test_only_the_tick_is_changed_by_people(self):
        call = self.line(self.item_call)
        for vals in (
            {"done_by_id": self.boris.id},
            {"item_id": self.item_need.id},
            {"done_date": "2020-01-01"},
        ):
            with self.assertRaisesRegex(UserError, "only the tick"):
                call.with_user(self.anna).write(vals)
        self.assertFalse(call.done_by_id)
        self.assertEqual(call.item_id, self.item_call)

    def test_an_item_added_later_reaches_the_leads_in_the_stage(self):
        item = self.env["crm.stage.checklist.item"].create(
            {"name": "Send the catalogue", "stage_id": self.s_interest.id}
        )
        self.assertIn(item, self.lead.checklist_current_line_ids.item_id)
        item.active = False
        self.assertNotIn(item, self.lead.checklist_current_line_ids.item_id)
        self.assertEqual(self.lead.checklist_count, 2)

    def test_worked_items_and_stages_are_archived_not_deleted(self):
        self.line(self.item_call).with_user(self.anna).done = True
        with self.assertRaisesRegex(UserError, "archive it instead"):
            self.item_call.unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            self.s_interest.unlink()
        with self.assertRaisesRegex(UserError, "stays in its stage"):
            self.item_call.stage_id = self.s_qualified
        self.assertTrue(self.item_call.exists())
        unused = self.env["crm.stage.checklist.item"].create(
            {"name": "Unused", "stage_id": self.s_won.id}
        )
        unused.unlink()
        self.assertFalse(unused.exists())

    def test_the_hint_of_the_stage_is_on_the_lead(self):
        self.line(self.item_call).with_user(self.anna).done = True
        self.lead_as_anna.stage_id = self.s_qualified
        self.line(self.item_details).with_user(self.anna).done = True
        self.lead_as_anna.stage_id = self.s_proposal
        self.assertIn("Call within 3 days", self.lead.playbook_hint)

    def test_won_needs_the_checklist_of_the_stage_too(self):
        self.line(self.item_call).with_user(self.anna).done = True
        self.lead_as_anna.stage_id = self.s_qualified
        with self.assertRaisesRegex(UserError, "Get the company details"):
            self.lead_as_anna.action_set_won()
        self.assertFalse(self.lead.stage_id.is_won)

    def test_the_form_refuses_the_move_at_once_and_keeps_the_stage(self):
        with Form(self.lead_as_anna) as form:
            form.stage_id = self.s_qualified
            self.assertEqual(form.stage_id, self.s_interest, "back in its stage, with a warning")
            with form.checklist_current_line_ids.edit(0) as line:
                self.assertEqual(line.name, "Call the customer")
                line.done = True
            form.stage_id = self.s_qualified
            self.assertEqual(form.stage_id, self.s_qualified)
        self.assertEqual(self.lead.stage_id, self.s_qualified)
        self.assertTrue(self.line(self.item_call).done)
