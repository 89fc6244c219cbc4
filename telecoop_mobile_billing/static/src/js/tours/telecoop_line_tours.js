// Copyright 2026 TeleCoop addons contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("telecoop_line_cap_tour", {
    steps: () => [
        {
            content: "The member sees the price of the month so far",
            trigger: ".o_telecoop_amount:contains(16.80)",
        },
        {
            content: "The history is drawn as a chart",
            trigger: ".o_telecoop_usage_chart svg .o_telecoop_chart_bar",
        },
        {
            content: "Its axis titles are the ones the server wrote in the reader's language",
            trigger: ".o_telecoop_usage_chart svg .o_telecoop_chart_axis_amount:contains(Amount)",
        },
        {
            content: "No alert yet",
            trigger: ".o_telecoop_alerts:contains(No alert yet)",
        },
        {
            content: "Set a spending cap",
            trigger: "form.o_telecoop_alerts_form input[name=spending_cap]",
            run: "edit 22",
        },
        {
            content: "Save",
            trigger: "form.o_telecoop_alerts_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The cap is saved",
            trigger: ".o_telecoop_message",
        },
        {
            content: "The cap is shown",
            trigger: "form.o_telecoop_alerts_form input[name=spending_cap][value='22.00']",
        },
    ],
});

registry.category("web_tour.tours").add("telecoop_line_alert_tour", {
    steps: () => [
        {
            content: "The new usage is counted",
            trigger: ".o_telecoop_data:contains(4.5 GB)",
        },
        {
            content: "The price so far includes the call",
            trigger: ".o_telecoop_amount:contains(18.24)",
        },
        {
            content: "The alert of the data band is listed",
            trigger: ".o_telecoop_alert:contains(GB band)",
        },
        {
            content: "The alert of the spending cap is listed",
            trigger: ".o_telecoop_alert:contains(80%):contains(spending cap)",
        },
    ],
});
