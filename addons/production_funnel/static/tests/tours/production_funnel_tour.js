import { registry } from "@web/core/registry";

const card = ".o_kanban_record:contains('PF Tour blind')";

registry.category("web_tour.tours").add("production_funnel_tour", {
    steps: () => [
        {
            content: "The order waits for its spec in the first column of the funnel",
            trigger: `.o_kanban_group:has(.o_column_title:contains('Waiting for Spec')) ${card}`,
        },
        {
            content: "The card says what spec is missing",
            trigger: `${card}:contains('Spec missing')`,
        },
        {
            content: "Open the order",
            trigger: card,
            run: "click",
        },
        {
            content: "Move it to Queued",
            trigger: ".o_field_widget[name=funnel_stage_id] button:contains('Queued')",
            run: "click",
        },
        {
            content: "The move is refused with the list of what is missing",
            trigger: ".modal:contains('Width (mm)'):contains('Height (mm)')",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Open the spec page",
            trigger: ".o_notebook .nav-link:contains('Spec')",
            run: "click",
        },
        {
            content: "Fill in the width",
            trigger: "div[name=spec_width] input",
            run: "edit 1200",
        },
        {
            content: "Fill in the height",
            trigger: "div[name=spec_height] input",
            run: "edit 1600",
        },
        {
            content: "Save: the order moves",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved in stage Queued",
            trigger:
                ".o_form_saved .o_field_widget[name=funnel_stage_id] button.o_arrow_button_current:contains('Queued')",
        },
        {
            content: "Back to the funnel",
            trigger: ".breadcrumb-item.o_back_button",
            run: "click",
        },
        {
            content: "The card is now in the Queued column",
            trigger: `.o_kanban_group:has(.o_column_title:contains('Queued')) ${card}`,
        },
    ],
});
