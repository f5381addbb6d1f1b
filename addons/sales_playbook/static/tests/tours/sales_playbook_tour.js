import { registry } from "@web/core/registry";

// Part 1: a new lead without source is refused, gets its source, is dealt in turn, and
// its stage checklist holds it back until the required item is ticked.
registry.category("web_tour.tours").add("sales_playbook_intake_tour", {
    steps: () => [
        {
            content: "Name the new interest",
            trigger: ".o_field_widget[name=name] textarea",
            run: "edit Tour: 20 infusion pumps",
        },
        {
            content: "Save without a source",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Refused: the source is required",
            trigger: ".o_notification:contains('Source')",
        },
        {
            content: "Open the tab with the source",
            trigger: ".o_notebook .nav-link:contains('Extra Information')",
            run: "click",
        },
        {
            content: "Give the source",
            trigger: ".o_field_widget[name=source_id].o_field_invalid input",
            run: "edit Tour web form",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Tour web form')",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved and dealt to the member whose turn it is",
            trigger: ".o_form_saved .o_field_widget[name=user_id] input:value(Tour Manager One)",
        },
        {
            content: "The stage's hint shows how to go on",
            trigger: ".o_playbook_hint:contains('Call the customer today')",
        },
        {
            content: "Try to move on to the next stage",
            trigger: ".o_statusbar_status button[role=radio]:contains('Tour Qualified')",
            run: "click",
        },
        {
            content: "Refused, naming the required item",
            trigger: ".modal .modal-body:contains('Call the customer')",
        },
        {
            content: "Acknowledge the refusal",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Tick the required item",
            trigger:
                ".o_playbook_checklist_lines .o_data_row:contains('Call the customer') .o_field_boolean_toggle input",
            run: "click",
        },
        {
            content: "Move on again",
            trigger: ".o_statusbar_status button[role=radio]:contains('Tour Qualified')",
            run: "click",
        },
        {
            content: "The lead is in the next stage",
            trigger:
                ".o_form_saved .o_statusbar_status button.o_arrow_button_current:contains('Tour Qualified')",
        },
    ],
});

// Part 2: the proposal stalled: the follow-up activity is there; the deal is lost with
// the farewell survey.
registry.category("web_tour.tours").add("sales_playbook_closing_tour", {
    steps: () => [
        {
            content: "The deal is flagged as stalled",
            trigger: ".o_form_view .ribbon:contains('Stalled')",
        },
        {
            content: "Its salesperson has the follow-up activity",
            trigger: ".o-mail-Activity:contains('Stalled in stage')",
        },
        {
            content: "Mark it lost",
            trigger: ".o_statusbar_buttons button:contains('Lost')",
            run: "click",
        },
        {
            content: "Choose the reason",
            trigger: ".modal .o_field_widget[name=lost_reason_id] input",
            run: "edit Tour: no answer",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Tour: no answer')",
            run: "click",
        },
        {
            content: "The farewell survey goes to the customer",
            trigger:
                ".modal .o_field_widget[name=playbook_survey_note]:contains('pumps@clinic.example.com')",
        },
        {
            content: "Mark as lost",
            trigger: ".modal button[name=action_lost_reason_apply]",
            run: "click",
        },
        {
            content: "The deal is lost",
            trigger: ".o_form_view .ribbon:contains('Lost')",
        },
    ],
});
