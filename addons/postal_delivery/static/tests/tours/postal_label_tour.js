import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const ROWS = '.o_list_view:not(:has(.o_data_row:not(:contains("Tour Express Hà Nội")))) .o_data_row';

/**
 * Chromium refuses downloads in tests, so the file never lands on disk: watch the request the
 * Print menu sends (Odoo posts it to /report/download with XMLHttpRequest) and write its answer
 * on the page for the next step to read.
 */
function watchReportDownloads() {
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (body) {
        if (body instanceof FormData && body.has("data")) {
            const [url] = JSON.parse(body.get("data"));
            this.addEventListener("loadend", () => {
                const type = this.getResponseHeader("Content-Type") || "";
                document.body.dataset.tourReport = `${this.status} ${type} ${url}`;
            });
        }
        return send.call(this, body);
    };
}

// The Center's dispatcher selects three deliveries in the list and prints their labels at once.
registry.category("web_tour.tours").add("postal_print_three_labels", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Postal Delivery",
            trigger: '.o_app[data-menu-xmlid="postal_delivery.postal_menu_root"]',
            run: "click",
        },
        {
            content: "The app opens on its deliveries: look for the carrier's",
            trigger: '.o_list_view:has(th[data-name="carrier_id"]) .o_searchview_input',
            run: "edit Tour Express Hà Nội",
        },
        {
            trigger: '.o_searchview_autocomplete .o_menu_item:contains("Carrier")',
            run: "click",
        },
        {
            content: "The carrier's filter is on",
            trigger: '.o_searchview_facet:contains("Tour Express Hà Nội")',
        },
        {
            content: "Exactly its three deliveries are listed",
            trigger: `${ROWS}:eq(2)`,
            run() {
                const rows = document.querySelectorAll(".o_list_view .o_data_row");
                if (rows.length !== 3) {
                    throw new Error(`Expected the 3 deliveries of the carrier, got ${rows.length}`);
                }
            },
        },
        {
            content: "Select the first delivery",
            trigger: `${ROWS}:eq(0) .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Select the second delivery",
            trigger: `${ROWS}:eq(1) .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Select the third delivery",
            trigger: `${ROWS}:eq(2) .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Three are selected",
            trigger: '.o_list_selection_box:contains("3")',
        },
        {
            content: "Open the Print menu",
            trigger: ".o_cp_action_menus button:has(.fa-print)",
            run(helpers) {
                watchReportDownloads();
                return helpers.click();
            },
        },
        {
            content: "Print the labels",
            trigger: '.o-dropdown--menu .dropdown-item:contains("Delivery Label")',
            run: "click",
        },
        {
            content: "The labels of the three deliveries come back as a PDF",
            // Rendering three labels with their barcodes takes a few seconds on a busy machine.
            timeout: 30000,
            trigger: "body[data-tour-report]",
            run() {
                const answer = document.body.dataset.tourReport;
                const expected =
                    /^200 application\/pdf \/report\/pdf\/postal_delivery\.report_postal_label\/\d+,\d+,\d+$/;
                if (!expected.test(answer)) {
                    throw new Error(`The label print answered: ${answer}`);
                }
            },
        },
        {
            content: "No error on screen: the list is back, its selection done with",
            trigger: `body:not(:has(.o_error_dialog, .modal)) ${ROWS.replace(
                ".o_list_view",
                ".o_list_view:not(:has(.o_list_selection_box))"
            )}:eq(2)`,
        },
    ],
});
