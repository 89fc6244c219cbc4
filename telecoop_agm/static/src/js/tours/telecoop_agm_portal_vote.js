/* Copyright 2026 TeleCoop addons contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import { registry } from "@web/core/registry";

// A member opens the assembly, votes, changes the vote and sees the receipt.
// The data is created by the Python test (test_tour.py).
registry.category("web_tour.tours").add("telecoop_agm_portal_vote", {
    url: "/my/assemblies",
    steps: () => [
        {
            content: "open the assembly",
            trigger: "a:contains('AGO 2026')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "vote for the first resolution",
            trigger: ".o_telecoop_resolution_0 .o_telecoop_choice_for",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the vote is recorded",
            trigger: ".o_telecoop_voted",
        },
        {
            content: "change my vote: against",
            trigger: ".o_telecoop_resolution_0 .o_telecoop_choice_against.btn-outline-primary",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the current vote is against, with its receipt",
            trigger: ".o_telecoop_resolution_0 .o_telecoop_choice_against.btn-primary",
        },
        {
            content: "the receipt is shown",
            trigger: ".o_telecoop_resolution_0 .o_telecoop_receipt",
        },
    ],
});
