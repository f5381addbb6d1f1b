import { registry } from "@web/core/registry";

const claim = ".o_kanban_record:contains('Tour: blinds too short')";

registry.category("web_tour.tours").add("claims_tour", {
    steps: () => [
        {
            content: "An overdue claim carries the Overdue badge on the kanban",
            trigger: ".o_kanban_record:contains('Tour: overdue claim') .o_claim_stalled_badge",
        },
        {
            content: "The fresh claim does not",
            trigger: `${claim}:not(:has(.o_claim_stalled_badge))`,
        },
        {
            content: "The registered claim is on the claims kanban",
            trigger: `.o_kanban_group:contains('Registered') ${claim}`,
        },
        {
            content: "Open the claim",
            trigger: claim,
            run: "click",
        },
        {
            content: "Start the investigation",
            trigger: ".o_statusbar_status button[role=radio]:contains('Investigation')",
            run: "click",
        },
        {
            content: "The claim is under investigation",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Investigation')",
        },
        {
            content: "Open the folded stages",
            trigger: ".o_statusbar_status button.dropdown-toggle.o_first",
            run: "click",
        },
        {
            content: "Try to close it without a conclusion",
            trigger: ".dropdown-menu .dropdown-item:contains('Closed')",
            run: "click",
        },
        {
            content: "Closing is refused, naming what is missing",
            trigger: ".modal .modal-body:contains('missing'):contains('Conclusion')",
        },
        {
            content: "Acknowledge the refusal",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Choose the cause",
            trigger: ".o_field_widget[name=claim_cause_id] input",
            run: "edit Tour: measuring",
        },
        {
            content: "Pick it from the list",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Tour: measuring')",
            run: "click",
        },
        {
            content: "Write the conclusion",
            trigger: ".o_field_widget[name=conclusion] textarea",
            run: "edit The dealer measured the window without the frame.",
        },
        {
            content: "Save: the claim closes",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The claim is closed",
            trigger: ".o_form_saved .o_statusbar_status button.o_arrow_button_current:contains('Closed')",
        },
    ],
});
