from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

# one closing survey of each kind per lead, in the database
PLAYBOOK_UNIQUE_INDEX = "survey_user_input_playbook_lead_kind_uniq"


class SurveyUserInput(models.Model):
    """A closing survey sent for a lead: the answer knows its lead, and what the lead was
    when it was closed (its source, salesperson, team, the stage it was lost or won in and
    the lost reason), for the results per source, manager, stage and reason.

    CRM's fields: salespeople read them (a respondent, public or portal, and a survey
    officer without sales rights do not); the server sets them when it sends the
    survey, nobody writes them."""

    _inherit = "survey.user_input"

    lead_id = fields.Many2one(
        "crm.lead",
        string="Lead",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
        groups="sales_team.group_sale_salesman",
    )
    playbook_kind = fields.Selection(
        [("farewell", "Farewell"), ("quality", "Service quality")],
        string="Closing Survey",
        readonly=True,
        copy=False,
        groups="sales_team.group_sale_salesman",
    )
    lead_source_id = fields.Many2one(
        "utm.source",
        string="Lead Source",
        readonly=True,
        copy=False,
        groups="sales_team.group_sale_salesman",
    )
    lead_user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        readonly=True,
        copy=False,
        groups="sales_team.group_sale_salesman",
    )
    lead_team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        readonly=True,
        copy=False,
        groups="sales_team.group_sale_salesman",
    )
    lead_stage_id = fields.Many2one(
        "crm.stage",
        string="Closed in Stage",
        readonly=True,
        copy=False,
        groups="sales_team.group_sale_salesman",
    )
    lead_lost_reason_id = fields.Many2one(
        "crm.lost.reason",
        string="Lost Reason",
        readonly=True,
        copy=False,
        groups="sales_team.group_sale_salesman",
    )

    _PLAYBOOK_FIELDS = frozenset(
        {
            "lead_id",
            "playbook_kind",
            "lead_source_id",
            "lead_user_id",
            "lead_team_id",
            "lead_stage_id",
            "lead_lost_reason_id",
        }
    )

    def init(self):
        result = super().init()
        # partial: answers of other surveys have no lead; dropped with the columns when the
        # addon is uninstalled
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON survey_user_input (lead_id, playbook_kind)"
                " WHERE lead_id IS NOT NULL AND playbook_kind IS NOT NULL",
                SQL.identifier(PLAYBOOK_UNIQUE_INDEX),
            )
        )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._playbook_check_server_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._playbook_check_server_fields(vals)
        return super().write(vals)

    @api.model
    def _playbook_check_server_fields(self, vals):
        """The lead of an answer and its snapshot are set by the server when it sends the
        survey (with superuser rights), never by a respondent nor a survey user."""
        fields_set = self._PLAYBOOK_FIELDS.intersection(vals)
        if fields_set and not self.env.su:
            raise AccessError(
                self.env._(
                    "The lead of a survey answer is set when the survey is sent for the lead; "
                    "it cannot be changed (%(fields)s).",
                    fields=", ".join(sorted(fields_set)),
                )
            )
