// Copyright 2026 TeleCoop addons contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("telecoop_membership_public_subscribe_tour", {
    steps: () => [
        {
            content: "The visitor reads the statutes' conditions and how to pay",
            trigger: ".o_telecoop_payment_instructions .o_telecoop_iban",
        },
        {
            content: "Name",
            trigger: "form.o_telecoop_public_subscribe_form input[name=name]",
            run: "edit Camille Tour",
        },
        {
            content: "E-mail",
            trigger: "form.o_telecoop_public_subscribe_form input[name=email]",
            run: "edit camille.tour@example.org",
        },
        {
            content: "City",
            trigger: "form.o_telecoop_public_subscribe_form input[name=city]",
            run: "edit Lyon",
        },
        {
            content: "Three shares",
            trigger: "form.o_telecoop_public_subscribe_form input[name=quantity]",
            run: "edit 3",
        },
        {
            content: "Password",
            trigger: "form.o_telecoop_public_subscribe_form input[name=password]",
            run: "edit tour-password-1",
        },
        {
            content: "Password again",
            trigger: "form.o_telecoop_public_subscribe_form input[name=password_confirm]",
            run: "edit tour-password-1",
        },
        {
            content: "Accept the statutes",
            trigger: "form.o_telecoop_public_subscribe_form input[name=accept_statutes]",
            run: "check",
        },
        {
            content: "Subscribe",
            trigger: "form.o_telecoop_public_subscribe_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Logged in, the request waits for the cooperative's review",
            trigger: ".o_telecoop_request_state:contains(Draft)",
        },
    ],
});
