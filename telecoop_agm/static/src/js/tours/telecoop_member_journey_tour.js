/* Copyright 2026 TeleCoop addons contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import { registry } from "@web/core/registry";

// The member journey across the three addons, in the portal (tests/test_member_journey_tour.py).
// Part 1: a person with a portal account subscribes one share.
registry.category("web_tour.tours").add("telecoop_member_journey_subscribe", {
    url: "/my/shares",
    steps: () => [
        {
            content: "one share",
            trigger: "form.o_telecoop_subscribe_form input[name=quantity]",
            run: "edit 1",
        },
        {
            content: "subscribe",
            trigger: "form.o_telecoop_subscribe_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the request is shown, waiting for staff",
            trigger: ".o_telecoop_request_state",
        },
    ],
});

// Part 2 (after staff validated, the share was paid, the line imported and billed,
// and the assembly convened): the member checks the line, the invoice, and votes.
registry.category("web_tour.tours").add("telecoop_member_journey_member", {
    url: "/my/lines",
    steps: () => [
        {
            content: "open my line",
            trigger: ".o_telecoop_line_row a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the data of the month",
            trigger: ".o_telecoop_data:contains(7.5 GB)",
        },
        {
            content: "the price so far, tax included: base fee plus the data band",
            trigger: ".o_telecoop_amount:contains(19.20)",
        },
        {
            content: "my invoices",
            trigger: ".o_telecoop_band",
            run: () => {
                window.location.href = "/my/invoices";
            },
            expectUnloadPage: true,
        },
        {
            content: "the invoice of the month, tax included",
            trigger: "tr:contains(19.20)",
        },
        {
            content: "go to the assemblies",
            trigger: "body",
            run: () => {
                window.location.href = "/my/assemblies";
            },
            expectUnloadPage: true,
        },
        {
            content: "open the assembly",
            trigger: "a:contains('AGO TeleCoop Journey SCIC')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "approve the accounts",
            trigger: ".o_telecoop_resolution_0 .o_telecoop_choice_for",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the vote is recorded, with its receipt",
            trigger: ".o_telecoop_resolution_0 .o_telecoop_receipt",
        },
        {
            content: "vote the allocation: other reserves",
            trigger: ".o_telecoop_resolution_1 .o_telecoop_choice_reserves",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the second vote is recorded",
            trigger: ".o_telecoop_resolution_1 .o_telecoop_choice_reserves.btn-primary",
        },
    ],
});
