from odoo import fields, models


class CrmLeadHandler(models.Model):
    """Who handled a lead, from when, and who gave it to them: the lead's handler history.

    Written by the server whenever the lead gets a salesperson (created with one, dealt in
    turn, reassigned, merged); nobody edits or deletes it, and a user who handled a lead
    cannot be deleted (archive them)."""

    _name = "crm.lead.handler"
    _description = "Lead Handler"
    _order = "date, id"
    _rec_name = "user_id"

    lead_id = fields.Many2one(
        "crm.lead", string="Lead", required=True, ondelete="cascade", index=True, readonly=True
    )
    user_id = fields.Many2one(
        "res.users", string="Handler", required=True, ondelete="restrict", index=True, readonly=True
    )
    assigned_by_id = fields.Many2one(
        "res.users", string="Assigned By", ondelete="restrict", readonly=True
    )
    date = fields.Datetime(string="Since", required=True, readonly=True, index=True)
    assignment = fields.Selection(
        [
            ("created", "Created with the lead"),
            ("turn", "Dealt in turn"),
            ("assigned", "Assigned"),
            ("merged", "From a merged lead"),
            ("import", "Imported"),
        ],
        string="How",
        required=True,
        readonly=True,
    )
    company_id = fields.Many2one(related="lead_id.company_id", store=True, index=True)
