import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("kpi_motivation_tour", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button:enabled",
            run: "click",
        },
        {
            content: "Open KPI & Motivation",
            trigger: '.o_app[data-menu-xmlid="kpi_motivation.menu_kpi_root"]',
            run: "click",
        },
        {
            content: "Create a sales plan",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour team plan",
        },
        {
            content: "Choose the team",
            trigger: ".o_field_widget[name=team_id] input",
            run: "edit Tour team",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Tour team')",
            run: "click",
        },
        {
            content: "Revenue target of seed 003",
            trigger: ".o_field_widget[name=revenue_target] input",
            run: "edit 800000",
        },
        {
            content: "Average sale of seed 003",
            trigger: ".o_field_widget[name=average_deal] input",
            run: "edit 40000",
        },
        {
            content: "Decompose the plan",
            trigger: "button[name=action_decompose]",
            run: "click",
        },
        {
            content: "20 sales are needed",
            trigger: ".o_field_widget[name=sales_count]:contains('20')",
        },
        {
            content: "The funnel steps are listed",
            trigger: ".o_field_widget[name=step_ids] .o_data_row:contains('Tour Won')",
        },
        {
            content: "Go to the scores",
            trigger: '.o_menu_sections [data-menu-xmlid="kpi_motivation.menu_motivation_score"]',
            run: "click",
        },
        {
            content: "Compute this month's scores",
            trigger: ".o_list_view button[name=action_compute_month]",
            run: "click",
        },
        {
            content: "The manager's score is there",
            trigger: ".o_data_row:contains('Tour Manager')",
        },
        {
            content: "Open it",
            trigger: ".o_data_row:contains('Tour Manager') .o_data_cell[name=user_id]",
            run: "click",
        },
        {
            content: "Its counts per action are shown",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:contains('Tour call')",
        },
    ],
});
