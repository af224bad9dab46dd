/** @odoo-module **/

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";

/**
 * New dossier form of the agent portal: shows the document checklist of the chosen
 * procedure (only its file inputs are enabled, so only they are sent), offers "by post"
 * only when the procedure allows it, and looks a citizen up by CCCD.
 */
publicWidget.registry.PsaDossierForm = publicWidget.Widget.extend({
    selector: ".o_psa_dossier_form",
    events: {
        'change select[name="procedure_id"]': "_onProcedureChange",
        "click .o_psa_citizen_lookup": "_onCitizenLookup",
    },

    start() {
        this._showChecklist();
        return this._super(...arguments);
    },

    _showChecklist() {
        const select = this.el.querySelector('select[name="procedure_id"]');
        const procedureId = select.value;
        for (const block of this.el.querySelectorAll(".o_psa_checklist")) {
            const active = block.dataset.procedureId === procedureId;
            block.classList.toggle("d-none", !active);
            for (const input of block.querySelectorAll("input")) {
                input.disabled = !active;
            }
        }
        const hint = this.el.querySelector(".o_psa_checklist_hint");
        if (hint) {
            hint.classList.toggle("d-none", Boolean(procedureId));
        }
        const option = select.selectedOptions[0];
        const allowPost = !option || !option.value || option.dataset.allowPost !== "0";
        const method = this.el.querySelector('select[name="return_method"]');
        const postOption = method && method.querySelector('option[value="post"]');
        if (postOption) {
            postOption.disabled = !allowPost;
            if (!allowPost && method.value === "post") {
                const other = method.querySelector('option:not([value="post"])');
                method.value = other ? other.value : "";
            }
        }
    },

    _onProcedureChange() {
        this._showChecklist();
    },

    async _onCitizenLookup(ev) {
        ev.preventDefault();
        const input = this.el.querySelector('input[name="cccd"]');
        const box = this.el.querySelector(".o_psa_citizen_lookup_result");
        const result = await rpc("/my/dossiers/citizen", { cccd: input.value });
        box.textContent = result.message;
        box.classList.toggle("text-danger", Boolean(result.error));
        box.classList.toggle("text-success", Boolean(result.found));
        box.dataset.found = result.found ? "1" : "0";
        input.classList.toggle("is-invalid", Boolean(result.error));
    },
});

export default publicWidget.registry.PsaDossierForm;
