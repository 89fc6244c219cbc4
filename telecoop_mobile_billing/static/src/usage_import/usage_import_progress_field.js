/** @odoo-module **/
// Copyright 2026 TeleCoop addons contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {onMounted, onWillUnmount} from "@odoo/owl";
import {
    ProgressBarField,
    progressBarField,
} from "@web/views/fields/progress_bar/progress_bar_field";
import {registry} from "@web/core/registry";

/** How often an import that is queued or running is read again (ms). */
export const POLL_INTERVAL = 2000;
const ACTIVE_STATES = ["queued", "running"];

/**
 * The progress bar of a usage import that moves by itself: while the import
 * is queued or running in the background, the record is read again every few
 * seconds, so that the counts, the progress, the state and the buttons follow
 * the job without reloading the page.
 */
export class UsageImportProgressField extends ProgressBarField {
    setup() {
        super.setup();
        onMounted(() => {
            this.timer = setInterval(() => this.poll(), POLL_INTERVAL);
        });
        onWillUnmount(() => clearInterval(this.timer));
    }

    async poll() {
        const record = this.props.record;
        if (this.polling || !ACTIVE_STATES.includes(record.data.state) || record.dirty) {
            return;
        }
        this.polling = true;
        try {
            await record.load();
        } finally {
            this.polling = false;
        }
    }
}

registry.category("fields").add("telecoop_usage_import_progress", {
    ...progressBarField,
    component: UsageImportProgressField,
});
