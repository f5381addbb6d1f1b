import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("needs_registry_tour", {
    steps: () => [
        {
            content: "Create a need",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Choose the customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour hospital",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Tour hospital')",
            run: "click",
        },
        {
            content: "Add a product",
            trigger: ".o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Type the first product",
            trigger: ".o_field_widget[name=line_ids] .o_data_row .o_field_widget[name=product_id] input",
            run: "edit Tour syringe",
        },
        {
            content: "Pick it from the catalog",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Tour syringe')",
            run: "click",
        },
        {
            content: "Add a second product",
            trigger: ".o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Type the second product",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:eq(1) .o_field_widget[name=product_id] input",
            run: "edit Tour bandage",
        },
        {
            content: "Pick it from the catalog",
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains('Tour bandage')",
            run: "click",
        },
        {
            content: "Save the need",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The same products in the dealer's need are reported",
            trigger: ".alert-warning:contains('Possible duplicates found')",
        },
        {
            content: "Open the list of possible duplicates",
            trigger: ".o_notebook .nav-link:contains('Possible Duplicates')",
            run: "click",
        },
        {
            content: "The hit is listed with its manager",
            trigger: ".o_field_widget[name=likely_match_ids] .o_data_row:contains('Tour Manager')",
        },
        {
            content: "This is the real need: convert it",
            trigger: "button[name=action_convert_to_opportunity]",
            run: "click",
        },
        {
            content: "The opportunity carries the need number",
            trigger: ".o_form_view .o_field_widget[name=need_id]:contains('NEED/')",
        },
    ],
});
