/* Copyright 2026 TeleCoop addons contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import { registry } from "@web/core/registry";

// Staff type the allocation wizard field by field, as a user would: a start
// typed after the end says so (no crash), the resolution offers no "Create",
// and the default proposal is booked. Data: test_surplus_allocation_wizard.py.
// A date field shows a button until it is clicked, then an input.
function typeDate(name, value) {
    return [
        {
            content: `open the ${name} field`,
            trigger: `.o_field_widget[name=${name}] button, .o_field_widget[name=${name}] input`,
            run: "click",
        },
        {
            content: `type ${value} in ${name}`,
            trigger: `.o_field_widget[name=${name}] input`,
            run: `edit ${value} && press Enter`,
        },
        {
            content: "leave the field",
            trigger: ".modal-title",
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("telecoop_surplus_allocation_wizard", {
    steps: () => [
        ...typeDate("date_to", "12/31/2025"),
        ...typeDate("date_from", "01/01/2026"),
        {
            content: "the form says what is wrong",
            trigger: ".alert-danger:contains('after its end')",
        },
        ...typeDate("date_from", "01/01/2025"),
        {
            content: "the result of the year is read from accounting",
            trigger: ".o_field_widget[name=result]:contains('11,000.00')",
        },
        {
            content: "the alert is gone",
            trigger: "body:not(:has(.alert-danger:visible))",
        },
        {
            content: "type a resolution name that does not exist",
            trigger: ".o_field_widget[name=resolution_id] input",
            run: "edit Nothing like this",
        },
        {
            content: "the dropdown opens without a Create entry",
            trigger:
                ".o-autocomplete--dropdown-menu:not(:has(.o_m2o_dropdown_option_create, .o_m2o_dropdown_option_create_edit))",
        },
        {
            content: "clear the resolution",
            trigger: ".o_field_widget[name=resolution_id] input",
            run: "clear",
        },
        {
            content: "leave the field",
            trigger: ".modal-title",
            run: "click",
        },
        {
            content: "the legal minimums are shown with the law",
            trigger: ".o_field_widget[name=computation]:contains('art. 19 nonies')",
        },
        {
            content: "create the allocation",
            trigger: "button[name=action_create_allocation]",
            run: "click",
        },
        {
            content: "the allocation is created in draft with its entry",
            trigger: ".o_form_view .o_field_widget[name=move_id] a, .o_form_view .o_field_widget[name=move_id]:contains('MISC')",
        },
    ],
});
