// Copyright 2026 TeleCoop addons contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("telecoop_membership_subscribe_tour", {
    url: "/my/shares",
    steps: () => [
        {
            content: "The member sees the subscription form",
            trigger: "form.o_telecoop_subscribe_form input[name=quantity]",
            run: "edit 1",
        },
        {
            content: "Subscribe one share",
            trigger: "form.o_telecoop_subscribe_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request waits for the cooperative's review",
            trigger: ".o_telecoop_request_state:contains(Draft)",
        },
        {
            content: "Back to my shares",
            trigger: "a[href='/my/shares']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is listed with my requests",
            trigger: "td .o_telecoop_request_state:contains(Draft)",
        },
    ],
});
