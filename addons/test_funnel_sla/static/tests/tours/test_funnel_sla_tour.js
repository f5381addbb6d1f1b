import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("test_funnel_sla_tour", {
    steps: () => [
        {
            content: "The stalled record carries its badge on the kanban card",
            trigger: ".o_kanban_record:contains('Tour stalled record') .o_sla_stalled_badge",
        },
        {
            content: "Open the record",
            trigger: ".o_kanban_record:contains('Tour stalled record')",
            run: "click",
        },
        {
            content: "The form shows the Stalled ribbon",
            trigger: ".o_form_view .ribbon:contains('Stalled')",
        },
        {
            content: "Move it to the next stage",
            trigger: ".o_statusbar_status button:contains('Tour Review')",
            run: "click",
        },
        {
            content: "It moved and is no longer stalled",
            trigger:
                ".o_form_view:not(:has(.ribbon)) .o_statusbar_status button.o_arrow_button_current:contains('Tour Review')",
        },
    ],
});
