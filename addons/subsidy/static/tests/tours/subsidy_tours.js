import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * Reach ``element`` as a person does on a phone: scroll down to it, never sideways (the page
 * must fit the screen's width), then check that a tap at its centre lands on it.
 */
function reachOnPhone(element, minWidth = 0) {
    element.scrollIntoView({ block: "center" });
    const pageWidth = document.scrollingElement.scrollWidth;
    if (pageWidth > window.innerWidth) {
        throw new Error(`The page is ${pageWidth} px wide on a ${window.innerWidth} px phone`);
    }
    const rect = element.getBoundingClientRect();
    if (rect.left < 0 || rect.top < 0 || rect.right > window.innerWidth || rect.bottom > window.innerHeight) {
        throw new Error(`${element.outerHTML} stays off-screen at ${window.innerWidth} px`);
    }
    if (rect.width < minWidth) {
        throw new Error(`${element.outerHTML} is ${rect.width} px wide: no room to type`);
    }
    const hit = document.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
    if (!hit || !(hit === element || element.contains(hit))) {
        throw new Error(`${element.outerHTML} is covered by ${hit && hit.outerHTML}`);
    }
}

// Finance bills a confirmed statement, then registers the bill's payment from the statement.
registry.category("web_tour.tours").add("subsidy_finance_bill_and_pay", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Postage Subsidies",
            trigger: '.o_app[data-menu-xmlid="subsidy.subsidy_menu_root"]',
            run: "click",
        },
        {
            content: "Open the statements",
            trigger: '.o_menu_sections [data-menu-xmlid="subsidy.subsidy_menu_statements"]',
            run: "click",
        },
        {
            content: "Open the confirmed statement of Operator A",
            // A statement row (it counts claims), not a row of the claims list the app opens on.
            trigger: '.o_list_view .o_data_row:contains("Operator A"):has(td[name="claim_count"]) td[name="operator_id"]',
            run: "click",
        },
        {
            content: "The statement awaits billing",
            trigger: '.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="confirmed"]',
        },
        {
            content: "Enter the operator's e-invoice number",
            trigger: '.o_form_view .o_field_widget[name="einvoice_number"] input',
            run: "edit C26TAA/00012",
        },
        {
            content: "Enter the e-invoice date",
            trigger: '.o_form_view .o_field_widget[name="einvoice_date"] input',
            run: "edit 2026-02-03 && press Enter",
        },
        {
            content: "Enter the e-invoice total",
            trigger: '.o_form_view .o_field_widget[name="einvoice_amount"] input',
            run: "edit 73000",
        },
        {
            content: "Create the vendor bill",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_bill"]',
            run: "click",
        },
        {
            content: "The statement is billed",
            trigger: '.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="billed"]',
            timeout: 30000, // the server posts entries: allow a busy machine
        },
        {
            content: "Register the payment",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_register_payment"]',
            run: "click",
        },
        {
            content: "Pay from the State Treasury account",
            trigger: '.modal .o_field_widget[name="journal_id"] input',
            run: "edit Tour Kho bạc",
        },
        {
            trigger: '.o-autocomplete--dropdown-item:contains("Tour Kho bạc")',
            run: "click",
        },
        {
            content: "Pay on the day of the transfer",
            trigger: '.modal .o_field_widget[name="payment_date"] input',
            run: "edit 2026-02-10 && press Enter",
        },
        {
            content: "Create the payment",
            trigger: '.modal-footer button[name="action_create_payments"]',
            run: "click",
        },
        {
            content: "The payment opens",
            trigger: '.o_action_manager .o_form_view .o_field_widget[name="journal_id"]:contains("Tour Kho bạc")',
            timeout: 30000, // the server posts entries: allow a busy machine
        },
        {
            content: "Back to the statement",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "The statement is paid",
            trigger: '.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="paid"]',
            timeout: 30000, // the server posts entries: allow a busy machine
        },
        {
            content: "It shows the payment's reference",
            trigger: '.o_form_view .o_field_widget[name="payment_ref"]',
        },
    ],
});

// The operator's accountant, on a phone, confirms one line of its statement and disputes another.
registry.category("web_tour.tours").add("subsidy_accountant_answers_on_phone", {
    url: "/my",
    steps: () => [
        {
            content: "Open the subsidy statements from the portal home",
            trigger: '.o_portal_docs a[href="/my/subsidy/statements"]',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the confirmed statement",
            trigger: 'a[href^="/my/subsidy/statements/"]',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Confirm the 32.000 line: reach its button",
            trigger: '.o_portal_subsidy_statement [data-claim-id]:contains("32.000") button[value="confirm"]',
            run() {
                reachOnPhone(this.anchor);
            },
        },
        {
            trigger: '.o_portal_subsidy_statement [data-claim-id]:contains("32.000") button[value="confirm"]',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The answer is saved",
            trigger: '.o_portal_subsidy_statement .alert-success',
        },
        {
            content: "Dispute the 41.000 line: say why",
            trigger: '.o_portal_subsidy_statement [data-claim-id]:contains("41.000") input[name="comment"]',
            run(helpers) {
                reachOnPhone(this.anchor, 150);
                return helpers.edit("Bưu gửi bị trả lại, không phát được");
            },
        },
        {
            trigger: '.o_portal_subsidy_statement [data-claim-id]:contains("41.000") button[value="dispute"]',
            run() {
                reachOnPhone(this.anchor);
            },
        },
        {
            trigger: '.o_portal_subsidy_statement [data-claim-id]:contains("41.000") button[value="dispute"]',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The disputed line shows the comment",
            trigger: '.o_portal_subsidy_statement .alert-success ~ * [data-claim-id]:contains("41.000"):contains("Bưu gửi bị trả lại, không phát được"):contains("Disputed")',
        },
        {
            content: "The confirmed line stays confirmed",
            trigger: '.o_portal_subsidy_statement [data-claim-id]:contains("32.000"):contains("Confirmed")',
        },
    ],
});
