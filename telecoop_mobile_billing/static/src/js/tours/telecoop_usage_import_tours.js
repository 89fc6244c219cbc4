// Copyright 2026 TeleCoop addons contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";
import {rpc} from "@web/core/network/rpc";

registry.category("web_tour.tours").add("telecoop_usage_import_progress_tour", {
    steps: () => [
        {
            content: "The import is queued, nothing read yet",
            trigger: ".o_form_view .o_field_widget[name=count_new]:contains(0)",
        },
        {
            content: "The background job runs the import (the page is not reloaded)",
            trigger: ".o_form_view .o_field_widget[name=progress]",
            run: async () => {
                const id = Number(new URLSearchParams(window.location.search).get("id") ||
                    window.location.pathname.split("/").pop());
                await rpc("/web/dataset/call_kw/telecoop.usage.import/action_resume", {
                    model: "telecoop.usage.import",
                    method: "action_resume",
                    args: [[id]],
                    kwargs: {context: {queue_job__no_delay: true}},
                });
            },
        },
        {
            content: "The form follows the job by itself: counts and state move",
            trigger: ".o_form_view .o_field_widget[name=count_new]:contains(2)",
            timeout: 15000,
        },
        {
            content: "The import is done and the Resume button gone",
            // the state's value, not its label: the demo's admin reads Odoo in French
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=done]",
        },
        {
            content: "No Resume button on a done import",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name=action_resume]))",
        },
    ],
});
