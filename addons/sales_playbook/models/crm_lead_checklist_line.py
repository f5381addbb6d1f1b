from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime


class CrmLeadChecklistLine(models.Model):
    """One item of a stage's checklist on one lead: ticked or not, by whom and when.

    Lines are created by the server when a lead enters a stage (and when an item is
    added to the stage of leads already there); people only tick and untick them, on the
    leads they may edit. Each tick and untick is logged on the lead."""

    _name = "crm.lead.checklist.line"
    _description = "Lead Checklist Line"
    _order = "stage_id, sequence, id"
    _rec_name = "name"

    lead_id = fields.Many2one(
        "crm.lead", string="Lead", required=True, ondelete="cascade", index=True, readonly=True
    )
    item_id = fields.Many2one(
        "crm.stage.checklist.item",
        string="Checklist Item",
        required=True,
        ondelete="restrict",
        index=True,
        readonly=True,
    )
    name = fields.Char(related="item_id.name", string="Item")
    hint = fields.Text(related="item_id.hint")
    required = fields.Boolean(related="item_id.required")
    sequence = fields.Integer(related="item_id.sequence", store=True)
    stage_id = fields.Many2one(related="item_id.stage_id", store=True, string="Stage", index=True)
    company_id = fields.Many2one(related="lead_id.company_id", store=True, index=True)
    is_current = fields.Boolean(
        string="In the Lead's Stage",
        compute="_compute_is_current",
        store=True,
        help="The item belongs to the checklist of the stage the lead is in.",
    )
    done = fields.Boolean()
    done_by_id = fields.Many2one(
        "res.users", string="Done By", readonly=True, ondelete="restrict", index="btree_not_null"
    )
    done_date = fields.Datetime(string="Done On", readonly=True)

    _sql_constraints = [
        (
            "lead_item_unique",
            "UNIQUE(lead_id, item_id)",
            "A checklist item appears once on a lead.",
        ),
    ]

    @api.depends("lead_id.stage_id", "stage_id", "item_id.active")
    def _compute_is_current(self):
        for line in self:
            line.is_current = line.item_id.active and line.stage_id == line.lead_id.stage_id

    # fields a person may change on a line: the rest is the server's
    _PLAYBOOK_USER_FIELDS = frozenset({"done"})

    def write(self, vals):
        other = set(vals) - self._PLAYBOOK_USER_FIELDS
        if other:
            raise UserError(
                self.env._(
                    "On a checklist only the tick can be changed (not %(fields)s).",
                    fields=", ".join(sorted(other)),
                )
            )
        # ticking is editing the lead: only on leads the user may edit (crm's rules)
        self.lead_id.check_access("write")
        changed = self.filtered(lambda line: line.done != bool(vals["done"]))
        if not changed:
            return super().write(vals)
        now = fields.Datetime.now()
        if vals["done"]:
            stamp = {"done_by_id": self.env.user.id, "done_date": now}
        else:
            stamp = {"done_by_id": False, "done_date": False}
        previous = {line.id: (line.done_by_id, line.done_date) for line in changed}
        result = super(CrmLeadChecklistLine, changed).write({**vals, **stamp})
        unchanged = self - changed
        if unchanged:
            super(CrmLeadChecklistLine, unchanged).write(vals)
        changed._playbook_log(bool(vals["done"]), previous)
        return result

    def _playbook_log(self, done, previous):
        """One note per lead listing the items just ticked (or unticked, with who had
        ticked them and when): the history of the checklist, which nobody edits."""
        for lead in self.lead_id:
            lines = self.filtered(lambda line, lead=lead: line.lead_id == lead)
            if done:
                title = self.env._("Checklist ticked:")
                items = Markup("").join(Markup("<li>%s</li>") % line.name for line in lines)
            else:
                title = self.env._("Checklist unticked:")
                items = Markup("").join(
                    Markup("<li>%s</li>")
                    % self.env._(
                        "%(item)s (ticked by %(user)s on %(date)s)",
                        item=line.name,
                        user=previous[line.id][0].name or "-",
                        date=format_datetime(self.env, previous[line.id][1]) or "-",
                    )
                    for line in lines
                )
            # a notification nobody edits, written for whoever may edit the lead (checked)
            lead._message_log(body=Markup("<p>%s</p><ul>%s</ul>") % (title, items))

    @api.model
    def _playbook_done_after(self, vals):
        """{line id: done} that a write of ``vals`` on a lead (its ``checklist_line_ids``
        commands, as the form sends them) sets: what the lines will be once written."""
        changes = {}
        commands = [
            *(vals.get("checklist_line_ids") or ()),
            *(vals.get("checklist_current_line_ids") or ()),
        ]
        for command in commands:
            if isinstance(command, list | tuple) and len(command) >= 3 and command[0] == 1:
                values = command[2] or {}
                if "done" in values:
                    changes[command[1]] = bool(values["done"])
        return changes
