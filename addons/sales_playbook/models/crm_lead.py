import logging
from collections import defaultdict

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)


class CrmLead(models.Model):
    _name = "crm.lead"
    # the SLA mixin first: it derives from mail.thread and mail.activity.mixin, which
    # crm.lead already inherits (a consistent method resolution order needs the more
    # specific class first)
    _inherit = ["funnel.sla.mixin", "crm.lead"]

    # ------------------------------------------------------------ fields
    first_user_id = fields.Many2one(
        "res.users",
        string="First Handler",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The first person who handled the lead: its first salesperson. Never "
        "overwritten: reassignments go to the handler history.",
    )
    handler_ids = fields.One2many(
        "crm.lead.handler", "lead_id", string="Handler History", readonly=True, copy=False
    )
    checklist_line_ids = fields.One2many(
        "crm.lead.checklist.line", "lead_id", string="Checklists", copy=False
    )
    checklist_current_line_ids = fields.One2many(
        "crm.lead.checklist.line",
        "lead_id",
        string="Checklist",
        domain=[("is_current", "=", True)],
        copy=False,
        help="The checklist of the lead's stage.",
    )
    checklist_done_count = fields.Integer(compute="_compute_checklist_progress")
    checklist_count = fields.Integer(compute="_compute_checklist_progress")
    checklist_progress = fields.Float(
        compute="_compute_checklist_progress",
        help="Share of the items of the stage's checklist ticked on the lead, in %.",
    )
    playbook_hint = fields.Html(related="stage_id.playbook_hint")
    playbook_own_stages = fields.Boolean(related="team_id.playbook_own_stages")
    playbook_source_required = fields.Boolean(compute="_compute_playbook_source_required")
    playbook_survey_declined = fields.Boolean(
        string="Closing Survey Declined",
        copy=False,
        help="The salesperson chose not to send the closing survey when the lead was lost or won.",
    )

    # ------------------------------------------------------------ computes
    @api.depends("stage_id", "checklist_line_ids.done", "checklist_line_ids.is_current")
    def _compute_checklist_progress(self):
        for lead in self:
            lines = lead.checklist_line_ids.filtered("is_current")
            done = len(lines.filtered("done"))
            lead.checklist_count = len(lines)
            lead.checklist_done_count = done
            lead.checklist_progress = 100.0 * done / len(lines) if lines else 0.0

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_playbook_source_required(self):
        for lead in self:
            lead.playbook_source_required = (
                lead.company_id or self.env.company
            ).playbook_source_required

    # --------------------------------------------------------- constraints
    @api.constrains("first_user_id", "user_id")
    def _check_first_handler_is_internal(self):
        for lead in self:
            if lead.first_user_id.share:
                raise ValidationError(
                    self.env._(
                        "Lead %(lead)s: the first handler %(user)s must be an internal user.",
                        lead=lead.display_name,
                        user=lead.first_user_id.name,
                    )
                )

    # ------------------------------------------------------------ onchange
    @api.onchange("team_id")
    def _onchange_team_id_playbook_source(self):
        if not self.source_id and self.team_id.playbook_source_id:
            self.source_id = self.team_id.playbook_source_id

    @api.onchange("stage_id")
    def _onchange_stage_id_playbook_checklist(self):
        """In the form: a move forward with required items undone is refused at once,
        naming them, and the lead stays in its stage (the save would be refused too)."""
        old_stage, new_stage = self._origin.stage_id, self.stage_id
        if not old_stage or not new_stage or not self._origin.id:
            return None
        lines = self.checklist_current_line_ids | self.checklist_line_ids
        done = {line.item_id._origin for line in lines if line.done}
        missing = self._playbook_missing_items(old_stage, new_stage, done)
        if not missing:
            return None
        self.stage_id = old_stage
        return {
            "warning": {
                "title": self.env._("Checklist"),
                "message": self._playbook_leaving_message(old_stage, new_stage, missing),
            }
        }

    # ---------------------------------------------------------------- CRUD
    @api.model
    def default_get(self, fields_list):
        """A new lead of a team whose leads are dealt in turn (or by CRM's rules) starts
        without salesperson: it is dealt when saved, rather than kept by whoever
        registers it (CRM's default)."""
        defaults = super().default_get(fields_list)
        if defaults.get("user_id") and not self._playbook_user_chosen_in_context():
            Team = self.env["crm.team"]
            team = Team.browse(defaults.get("team_id") or self.env.context.get("default_team_id"))
            if not team:
                team = Team._get_default_team_id(user_id=defaults["user_id"])
            if team.lead_distribution in ("round_robin", "crm"):
                defaults["user_id"] = False
                if "team_id" in fields_list:
                    defaults["team_id"] = team.id
        if "source_id" in fields_list and not defaults.get("source_id"):
            team = self.env["crm.team"].browse(defaults.get("team_id"))
            if team.playbook_source_id:
                defaults["source_id"] = team.playbook_source_id.id
        return defaults

    @api.model
    def _playbook_user_chosen_in_context(self):
        """Whether the context names a salesperson chosen for the new lead. Sales
        (sale_crm) opens the pipeline with ``default_user_id: uid``: that is CRM's own
        default, whoever registers the lead, not a choice, and it must not keep a lead of a
        team that deals its leads from being dealt."""
        user_id = self.env.context.get("default_user_id")
        return bool(user_id) and user_id != self.env.uid

    @api.model_create_multi
    def create(self, vals_list):
        Team = self.env["crm.team"]
        given = [bool(vals.get("first_user_id")) for vals in vals_list]
        dealt = [False] * len(vals_list)
        # whoever may create leads for others (CRM's "all documents", the superuser of the
        # mail gateway and of scripts run as such) gets the dealt lead created with its
        # salesperson at once; others create it without and the turn gives it after
        deal_now = self.env.su or self.env.user.has_group(
            "sales_team.group_sale_salesman_all_leads"
        )
        for index, vals in enumerate(vals_list):
            team_id = vals.get("team_id") or self.env.context.get("default_team_id")
            # sudo: the team's settings apply whoever creates the lead (the mail gateway, a
            # web form, a script, a salesperson)
            team = Team.sudo().browse(team_id)
            if not vals.get("source_id") and team.playbook_source_id:
                vals["source_id"] = team.playbook_source_id.id
            if "user_id" not in vals and self._playbook_user_chosen_in_context():
                vals["user_id"] = self.env.context["default_user_id"]
            if (
                "user_id" not in vals
                and team.lead_distribution in ("round_robin", "crm")
                and not self._playbook_user_chosen_in_context()
            ):
                # not CRM's default (whoever creates it): dealt in turn, or left to CRM's rules
                vals["user_id"] = False
            if (
                deal_now
                and not vals.get("user_id")
                and team.lead_distribution == "round_robin"
                and vals.get("active", True)
            ):
                user = team._turn_next_user()
                if user:
                    vals["user_id"] = user.id
                    dealt[index] = True
            if vals.get("first_user_id"):
                self._playbook_check_first_handler_given()
            elif vals.get("user_id") and not self.env["res.users"].browse(vals["user_id"]).share:
                vals["first_user_id"] = vals["user_id"]
        leads = super().create(vals_list)
        # a salesperson from CRM's default (whoever creates it) is the first handler too
        leads.filtered(
            lambda lead: lead.user_id and not lead.first_user_id
        )._playbook_set_first_handler()
        how = {
            lead.id: "turn" if turn else "import" if named else "created"
            for lead, named, turn in zip(leads, given, dealt, strict=True)
        }
        leads._playbook_record_handlers(
            {lead.id: False for lead in leads}, assignment=lambda lead: how[lead.id], look_up=False
        )
        leads.filtered(
            lambda lead: not lead.user_id
            and lead.active
            and lead.team_id.lead_distribution == "round_robin"
        )._playbook_deal_in_turn()
        leads._playbook_sync_checklist()
        return leads

    def write(self, vals):
        if "first_user_id" in vals:
            self._playbook_check_first_handler_change(vals["first_user_id"])
        if vals.get("stage_id"):
            self._playbook_check_leaving_stage(vals)
        old_users = {lead.id: lead.user_id.id for lead in self} if "user_id" in vals else None
        if {"active", "stage_id", "probability"} & set(vals):
            self._playbook_watch_closing()
        result = super().write(vals)
        if old_users is not None:
            self.filtered(
                lambda lead: lead.user_id and not lead.first_user_id
            )._playbook_set_first_handler()
            self._playbook_record_handlers(old_users, assignment="assigned")
        if "stage_id" in vals:
            self._playbook_sync_checklist()
        return result

    def web_save(self, vals, specification, next_id=None):
        """A person creating a lead in the web client gives its source (when the company
        requires it); leads from e-mail, web forms and scripts take their team's."""
        if not self and not self.env.su:
            self._playbook_check_source_given(vals)
        elif "source_id" in vals and not vals["source_id"]:
            self._playbook_check_source_kept()
        return super().web_save(vals, specification, next_id=next_id)

    # ------------------------------------------------------------- actions
    def action_playbook_won(self):
        """The Won button: the dialog that lets the salesperson keep the service-quality
        survey from being sent, when one would be; else won at once."""
        if any(lead._playbook_survey("quality") and lead._playbook_email() for lead in self):
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Mark as Won"),
                "res_model": "crm.lead.playbook.won",
                "view_mode": "form",
                "target": "new",
                "context": {"default_lead_ids": self.ids, "dialog_size": "medium"},
            }
        return self.action_set_won_rainbowman()

    # ------------------------------------------------------------- helpers
    @api.model
    def _playbook_check_first_handler_given(self):
        """Only a sales manager (importing the history of leads) names a first handler."""
        if not (self.env.su or self.env.user.has_group("sales_team.group_sale_manager")):
            raise UserError(
                self.env._(
                    "The first handler of a lead is whoever first takes it; only a sales "
                    "manager importing leads may give it."
                )
            )

    def _playbook_check_first_handler_change(self, user_id):
        """The first handler is never overwritten: a lead without one may get one from a
        sales manager (an import of history); the server's merge (superuser) sets the
        oldest lead's."""
        if self.env.su:
            return
        for lead in self:
            if lead.first_user_id and lead.first_user_id.id != (user_id or False):
                raise UserError(
                    self.env._(
                        "Lead %(lead)s: the first handler (%(user)s) cannot be changed.",
                        lead=lead.display_name,
                        user=lead.first_user_id.name,
                    )
                )
        if user_id and self.filtered(lambda lead: not lead.first_user_id):
            self._playbook_check_first_handler_given()

    @api.model
    def _playbook_check_source_given(self, vals):
        team = self.env["crm.team"].browse(
            vals.get("team_id") or self.env.context.get("default_team_id")
        )
        company = (
            self.env["res.company"].browse(vals.get("company_id"))
            or team.company_id
            or self.env.company
        )
        if (
            company.playbook_source_required
            and not vals.get("source_id")
            and not team.sudo().playbook_source_id
        ):
            raise ValidationError(
                self.env._(
                    "Give the lead its source (the field Source, tab Extra Info): where the "
                    "interest came from."
                )
            )

    def _playbook_check_source_kept(self):
        for lead in self:
            if lead.playbook_source_required:
                raise ValidationError(
                    self.env._(
                        "Lead %(lead)s: its source cannot be removed.", lead=lead.display_name
                    )
                )

    def _playbook_record_handlers(self, old_users, assignment, look_up=True):
        """Add to the handler history the leads of self whose salesperson changed to
        someone (``old_users`` {lead id: previous user id}); ``assignment`` is how, or a
        function of the lead returning how. The last handler already recorded (a lead
        dealt in turn records its handler first) is not repeated; ``look_up=False`` for
        leads just created, which have none. Sudo: the history is written by the server
        only."""
        changed = self.filtered(
            lambda lead: lead.user_id
            and not lead.user_id.share
            and lead.user_id.id != old_users.get(lead.id)
        )
        if not changed:
            return
        Handler = self.env["crm.lead.handler"].sudo()
        last = {}
        if look_up:
            for handler in Handler.search([("lead_id", "in", changed.ids)], order="date, id"):
                last[handler.lead_id.id] = handler.user_id.id
        now = fields.Datetime.now()
        values = [
            {
                "lead_id": lead.id,
                "user_id": lead.user_id.id,
                "assigned_by_id": self.env.uid,
                "date": now,
                "assignment": assignment(lead) if callable(assignment) else assignment,
            }
            for lead in changed
            if last.get(lead.id) != lead.user_id.id
        ]
        if values:
            Handler.create(values)

    def _playbook_deal_in_turn(self):
        """Give each lead of self the member of its team whose turn it is (crm_lead_turn),
        recorded in the handler history as dealt in turn. A lead no member can take (all
        opted out, or capped for the day) stays with its team, without salesperson.

        Sudo: the turn chooses the salesperson, not the creator (a salesperson of their
        own documents may register a lead that goes to a colleague)."""
        Handler = self.env["crm.lead.handler"].sudo()
        now = fields.Datetime.now()
        by_user = defaultdict(list)
        for lead in self:
            user = lead.team_id._turn_next_user()
            if user:
                by_user[user].append(lead.id)
        for user, lead_ids in by_user.items():
            Handler.create(
                [
                    {
                        "lead_id": lead_id,
                        "user_id": user.id,
                        "assigned_by_id": self.env.uid,
                        "date": now,
                        "assignment": "turn",
                    }
                    for lead_id in lead_ids
                ]
            )
            leads = self.browse(lead_ids)
            first = leads.filtered(lambda lead: not lead.first_user_id)
            if first:
                first.sudo().write({"user_id": user.id, "first_user_id": user.id})
            if leads - first:
                (leads - first).sudo().write({"user_id": user.id})

    def _playbook_sync_checklist(self):
        """Give each lead of self the lines of its stage's checklist it does not have yet
        (one search and one create for all). Sudo: lines are the server's; people tick."""
        leads = self.filtered("stage_id")
        if not leads:
            return
        items = (
            self.env["crm.stage.checklist.item"]
            .sudo()
            .search([("stage_id", "in", leads.stage_id.ids)])
        )
        if not items:
            return
        Line = self.env["crm.lead.checklist.line"].sudo()
        existing = {
            (lead.id, item.id)
            for lead, item in Line._read_group(
                [("lead_id", "in", leads.ids), ("item_id", "in", items.ids)],
                ["lead_id", "item_id"],
            )
        }
        items_of = items.grouped("stage_id")
        values = [
            {"lead_id": lead.id, "item_id": item.id}
            for lead in leads
            for item in items_of.get(lead.stage_id, ())
            if (lead.id, item.id) not in existing
        ]
        if values:
            Line.create(values)

    def _playbook_check_leaving_stage(self, vals):
        """A lead leaves its stage forward only with the stage's required items ticked
        (as they will be once ``vals`` is written); the refusal names them. Moving back
        is free."""
        new_stage = self.env["crm.stage"].browse(vals["stage_id"])
        done_after = self.env["crm.lead.checklist.line"]._playbook_done_after(vals)
        for lead in self:
            # sudo: the check sees every line of the lead, whoever moves it
            done = {
                line.item_id
                for line in lead.sudo().checklist_line_ids
                if done_after.get(line.id, line.done)
            }
            missing = lead._playbook_missing_items(lead.stage_id, new_stage, done)
            if missing:
                raise UserError(lead._playbook_leaving_message(lead.stage_id, new_stage, missing))

    @api.model
    def _playbook_missing_items(self, old_stage, new_stage, done_items):
        """The required items of ``old_stage`` not in ``done_items`` when a lead moves
        from it forward to ``new_stage`` (none when it moves back or stays)."""
        if (
            not old_stage
            or old_stage == new_stage
            or new_stage._playbook_order_key() < old_stage._playbook_order_key()
        ):
            return self.env["crm.stage.checklist.item"]
        # sudo: the stage's configuration, whoever moves the lead
        required = old_stage.sudo().checklist_item_ids.filtered("required")
        return required.filtered(lambda item: item not in done_items)

    def _playbook_leaving_message(self, old_stage, new_stage, missing):
        return self.env._(
            "Lead %(lead)s cannot leave stage %(stage)s for %(next)s before these "
            "checklist items are done: %(items)s.",
            lead=self.display_name,
            stage=old_stage.name,
            next=new_stage.name,
            items=", ".join(missing.mapped("name")),
        )

    # ---------------------------------------------------- closing surveys
    def _playbook_is_lost(self):
        self.ensure_one()
        return not self.active and self.probability == 0

    def _playbook_is_won(self):
        self.ensure_one()
        return self.active and self.stage_id.is_won

    def _playbook_watch_closing(self):
        """Before a write that may lose or win leads: note once per transaction whether
        each was lost or won, and look at them again just before the commit. CRM loses a
        lead in several writes (archived, probability 0, then the lost reason): the surveys
        and notices go by the lead as the whole operation leaves it."""
        cr = self.env.cr
        watched = cr.precommit.data.setdefault("sales_playbook.closing", {})
        if not watched:
            # bound to this environment: the closing user's, as the writes were made
            cr.precommit.add(self._playbook_after_closing)
        for lead in self:
            if lead.id not in watched:
                watched[lead.id] = (lead._playbook_is_lost(), lead._playbook_is_won())

    def _playbook_after_closing(self):
        """Before the commit: surveys and notices for the leads just lost or won."""
        watched = self.env.cr.precommit.data.pop("sales_playbook.closing", {})
        leads = self.browse(list(watched)).with_context(active_test=False).exists()
        lost = leads.filtered(lambda lead: lead._playbook_is_lost() and not watched[lead.id][0])
        won = leads.filtered(lambda lead: lead._playbook_is_won() and not watched[lead.id][1])
        if lost:
            lost._playbook_send_closing_survey("farewell")
            lost.filtered(
                lambda lead: lead._playbook_lost_after_proposal()
            )._playbook_notify_sales_head()
        if won:
            won._playbook_send_closing_survey("quality")
        # the choice made in the lost/won dialog is for that closing only
        (lost | won).filtered("playbook_survey_declined").write({"playbook_survey_declined": False})
        self.env.flush_all()

    def _playbook_survey(self, kind):
        """The survey of ``kind`` (farewell/quality) for self: its team's, else its
        company's. Sudo: the settings of the team and company, whoever closes the lead."""
        self.ensure_one()
        field = f"playbook_{kind}_survey_id"
        lead = self.sudo()
        return lead.team_id[field] or (lead.company_id or self.env.company)[field]

    def _playbook_set_first_handler(self):
        """The salesperson of each lead of self becomes its first handler (leads without
        one). Sudo: the one path that sets it besides an import (see write).

        Only an employee handles a lead: a portal page that creates a lead for its dealer
        (as Odoo's Resellers portal does, with sudo() under the portal user) leaves CRM's
        default salesperson, the portal user, who is not a handler; the lead's first
        handler is the first employee who takes it."""
        for user, leads in self.grouped("user_id").items():
            if user and not user.share:
                leads.sudo().write({"first_user_id": user.id})

    def _playbook_set_survey_declined(self, declined):
        """From the lost/won dialog: whether the closing survey is sent at this closing."""
        leads = self.filtered(lambda lead: lead.playbook_survey_declined != declined)
        if leads:
            leads.write({"playbook_survey_declined": declined})

    def _playbook_survey_note(self, kind):
        """What closing the leads of self will send: for the lost/won dialog."""
        if not self:
            return False
        notes = []
        for lead in self[:5]:
            survey = lead._playbook_survey(kind)
            if not survey:
                continue
            email = lead._playbook_email()
            if email:
                notes.append(
                    self.env._("%(survey)s to %(email)s", survey=survey.title, email=email)
                )
            else:
                notes.append(
                    self.env._("%(lead)s has no e-mail: nothing sent", lead=lead.display_name)
                )
        return "; ".join(notes) or False

    def _playbook_email(self):
        self.ensure_one()
        return (self.email_from or self.partner_id.email or "").strip()

    def _playbook_send_closing_survey(self, kind):
        """Send the customer of each lead of self the closing survey of ``kind``: once
        per lead and kind (reopening and closing again sends nothing more), never to a lead
        without an e-mail, nor when the salesperson declined it; in the customer's
        language. The answer is linked to the lead with a snapshot of what it was."""
        Answer = self.env["survey.user_input"].sudo()
        sent = {
            lead.id
            for (lead,) in Answer._read_group(
                [("lead_id", "in", self.ids), ("playbook_kind", "=", kind)], ["lead_id"]
            )
        }
        template = self.env.ref(
            f"sales_playbook.mail_template_playbook_{kind}", raise_if_not_found=False
        )
        for lead in self:
            survey = lead._playbook_survey(kind)
            if not survey or lead.id in sent or not template:
                continue
            if lead.playbook_survey_declined:
                lead._playbook_log(
                    self.env._("Closing survey %(survey)s not sent: declined.", survey=survey.title)
                )
                continue
            email = lead._playbook_email()
            if not email:
                lead._playbook_log(
                    self.env._(
                        "Closing survey %(survey)s not sent: the lead has no e-mail.",
                        survey=survey.title,
                    )
                )
                continue
            if lead._playbook_send_survey(survey, kind, email):
                lead._playbook_log(
                    self.env._(
                        "Closing survey %(survey)s sent to %(email)s.",
                        survey=survey.title,
                        email=email,
                    )
                )

    def _playbook_send_survey(self, survey, kind, email):
        """Create the answer of ``survey`` for self, linked to it, and send its e-mail.
        Returns the answer, or nothing when the database already holds this closing's
        answer (sent by a concurrent transaction since self looked)."""
        self.ensure_one()
        template = self.env.ref(f"sales_playbook.mail_template_playbook_{kind}")
        # sudo: the survey and its answers are the survey app's; the salesperson closing
        # the lead sends the survey the company chose, on its behalf
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                answer = survey.sudo()._create_answer(
                    partner=self.partner_id,
                    email=email,
                    check_attempts=False,
                    **self._playbook_answer_values(kind),
                )
        except psycopg2.errors.UniqueViolation:
            _logger.info("Closing survey (%s) of lead %s already sent, skipped", kind, self.id)
            return self.env["survey.user_input"]
        template.sudo().send_mail(answer.id)
        return answer

    def _playbook_answer_values(self, kind):
        self.ensure_one()
        return {
            "lead_id": self.id,
            "playbook_kind": kind,
            "lead_source_id": self.source_id.id,
            "lead_user_id": self.user_id.id,
            "lead_team_id": self.team_id.id,
            "lead_stage_id": self.stage_id.id,
            "lead_lost_reason_id": self.lost_reason_id.id,
        }

    def _playbook_log(self, text):
        """A note in the lead's history (a notification, which nobody edits), also for a
        user without e-mail address: the callers act on leads the user just closed."""
        self.ensure_one()
        self._message_log(body=Markup("<p>%s</p>") % text)

    def _playbook_lost_after_proposal(self):
        """Whether self, lost, was an opportunity in a proposal stage or a later one."""
        self.ensure_one()
        if self.type != "opportunity" or not self.stage_id:
            return False
        # sudo: the pipeline's stages, whoever loses the lead
        proposals = (
            self.env["crm.stage"]
            .sudo()
            .search(
                [
                    ("playbook_proposal", "=", True),
                    "|",
                    ("team_id", "=", False),
                    ("team_id", "=", self.team_id.id),
                ]
            )
        )
        key = self.stage_id._playbook_order_key()
        return any(stage._playbook_order_key() <= key for stage in proposals)

    def _playbook_sales_head(self):
        """The head of sales told about self: the company's, else the team leader."""
        self.ensure_one()
        head = (self.company_id or self.env.company).sudo().playbook_sales_head_id
        if not head or not head.active:
            head = self.team_id.sudo().user_id
        return head if head and head.active and not head.share else self.env["res.users"]

    def _playbook_notify_sales_head(self):
        for lead in self:
            head = lead._playbook_sales_head()
            if not head:
                continue
            env = lead.with_context(lang=head.lang or self.env.lang).env
            body = Markup("<p>%s</p>") % env._(
                "Opportunity %(lead)s was lost after the proposal, in stage %(stage)s "
                "(reason: %(reason)s, salesperson: %(user)s).",
                lead=lead.display_name,
                stage=lead.stage_id.name,
                reason=lead.lost_reason_id.name or env._("none given"),
                user=lead.user_id.name or env._("none"),
            )
            # from the system (OdooBot): the notice is the playbook's, not the salesperson's
            lead.message_notify(
                author_id=self.env.ref("base.partner_root").id,
                partner_ids=head.partner_id.ids,
                subject=env._("Lost after the proposal: %(lead)s", lead=lead.display_name),
                body=body,
            )

    # ------------------------------------------------------------- stages
    @api.model
    def _playbook_own_pipeline_team(self, team_ids):
        """The team of ``team_ids`` whose leads use its own stages only, when there is
        exactly one team and it has own stages (sudo: stage configuration)."""
        teams = self.env["crm.team"].sudo().browse(list(team_ids))
        if len(teams) != 1 or not teams.playbook_own_stages:
            return self.env["crm.team"]
        own = self.env["crm.stage"].sudo().search_count([("team_id", "=", teams.id)], limit=1)
        return teams if own else self.env["crm.team"]

    def _stage_find(self, team_id=False, domain=None, order="sequence, id", limit=1):
        team_ids = set(self.team_id.ids)
        if team_id:
            team_ids.add(team_id)
        team = self._playbook_own_pipeline_team(team_ids)
        if not team:
            return super()._stage_find(team_id=team_id, domain=domain, order=order, limit=limit)
        return self.env["crm.stage"].search(
            [("team_id", "=", team.id), *(domain or [])], order=order, limit=limit
        )

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        team_id = self.env.context.get("default_team_id")
        team = self._playbook_own_pipeline_team({team_id} if team_id else set())
        if not team:
            return super()._read_group_stage_ids(stages, domain)
        return stages.search(["|", ("id", "in", stages.ids), ("team_id", "=", team.id)])

    # -------------------------------------------------------------- merge
    def _merge_dependences(self, opportunities):
        """The merged lead keeps the first handler of the oldest of the merged leads, and
        the handler history of all of them."""
        result = super()._merge_dependences(opportunities)
        merged = (self | opportunities).sorted(lambda lead: (lead.create_date, lead.id))
        first = next((lead.first_user_id for lead in merged if lead.first_user_id), None)
        if first and first != self.first_user_id:
            # sudo: the one path that moves a first handler, the merge's (see write)
            self.sudo().write({"first_user_id": first.id})
        history = opportunities.sudo().handler_ids
        if history:
            self.env["crm.lead.handler"].sudo().create(
                [
                    {
                        "lead_id": self.id,
                        "user_id": handler.user_id.id,
                        "assigned_by_id": handler.assigned_by_id.id,
                        "date": handler.date,
                        "assignment": "merged",
                    }
                    for handler in history
                ]
            )
        return result

    # ---------------------------------------------------------- funnel SLA
    def _sla_domain(self):
        """Open deals: lost ones are archived, won ones are in a won stage."""
        return [("stage_id.is_won", "=", False)]

    def _sla_escalation_users(self):
        """Past the escalation limit: the team leader, or the head of sales when the team
        has none (or the leader is the salesperson)."""
        result = {}
        for lead in self:
            leader = lead.team_id.user_id
            if not leader or not leader.active or leader.share or leader == lead.user_id:
                leader = (lead.company_id or self.env.company).playbook_sales_head_id
            if leader and leader.active and not leader.share:
                result[lead.id] = leader
        return result
