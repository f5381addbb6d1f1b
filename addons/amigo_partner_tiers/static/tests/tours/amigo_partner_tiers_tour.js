import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("amigo_partner_tiers_tour", {
    steps: () => [
        {
            content: "The partner shows its current tier as a badge",
            trigger: ".o_partner_tier_badge:contains('Black')",
        },
        {
            content: "Open the Tier tab",
            trigger: ".o_notebook .nav-link:contains('Tier')",
            run: "click",
        },
        {
            content: "One assessment in the history",
            trigger: ".o_tier_history .o_data_row:contains('Black')",
        },
        {
            content: "Recompute the tier",
            trigger: "button[name=action_recompute_tier]",
            run: "click",
        },
        {
            content: "The badge turned green",
            trigger: ".o_partner_tier_badge:contains('Green')",
        },
        {
            content: "The history has the new assessment with the previous tier",
            trigger: ".o_tier_history .o_data_row:contains('Green'):contains('Black')",
        },
    ],
});
