import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The nine indicators of Circular 01/2018, in the order of the evaluation page.
const INDICATORS = [
    "score_publicity",
    "score_time",
    "score_contacts",
    "score_agencies",
    "score_attitude",
    "score_result",
    "score_cost",
    "score_feedback",
    "score_online",
];

// A page fits a phone when nothing reaches past the right edge of the screen, except
// inside a box that scrolls or clips on purpose (a responsive table, a carousel). The
// page's own wrappers may hide the overflow, so each element is measured.
function clippedOnPurpose(element) {
    for (let node = element.parentElement; node; node = node.parentElement) {
        if (node === document.body || node.id === "wrapwrap") {
            return false;
        }
        if (getComputedStyle(node).overflowX !== "visible") {
            return true;
        }
    }
    return false;
}

function fitsThePhone(what) {
    return {
        content: `${what} fits a phone screen`,
        trigger: "body",
        run() {
            const width = window.innerWidth;
            if (width > 480) {
                throw new Error(`Not a phone viewport: ${width}px wide`);
            }
            const overflow = document.documentElement.scrollWidth - width;
            if (overflow > 1) {
                throw new Error(`${what} is ${overflow}px wider than the ${width}px screen`);
            }
            const outside = [...document.body.querySelectorAll("*")].filter((element) => {
                const box = element.getBoundingClientRect();
                return (
                    box.width > 0 &&
                    box.height > 0 &&
                    (box.right > width + 1 || box.left < -1) &&
                    !clippedOnPurpose(element)
                );
            });
            if (outside.length) {
                const names = outside
                    .slice(0, 5)
                    .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}`);
                throw new Error(`${what}: past the edge of the screen: ${names.join(", ")}`);
            }
        },
    };
}

// A citizen, not logged in, writes to the Center from a phone.
registry.category("web_tour.tours").add("psa_citizen_contact_phone", {
    url: "/lien-he",
    steps: () => [
        fitsThePhone("The contact form"),
        {
            content: "Type a name",
            trigger: '.o_psa_contact_form input[name="contact_name"]',
            run: "edit Phạm Thị Tour",
        },
        {
            content: "It is about a fee beyond the official list",
            trigger: '.o_psa_contact_form select[name="category"]',
            run: "select extra_fee",
        },
        {
            content: "Leave a phone number to be called back",
            trigger: '.o_psa_contact_form input[name="contact_phone"]',
            run: "edit 0912 000 777",
        },
        {
            content: "Type the subject",
            trigger: '.o_psa_contact_form input[name="subject"]',
            run: "edit Thu thêm phí khi nộp hồ sơ",
        },
        {
            content: "Describe what happened in the details box",
            trigger: '.o_psa_contact_form textarea[name="description"]',
            run: "edit Nhân viên đại lý thu thêm 50.000 đồng ngoài lệ phí.",
        },
        {
            content: "Send",
            trigger: ".o_psa_contact_form .o_psa_contact_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The message is recorded under a ticket number",
            trigger: ".o_psa_contact_done .o_psa_ticket_number:not(:empty)",
        },
        fitsThePhone("The confirmation"),
    ],
});

// A citizen scans the QR code of the receipt, tracks the dossier and rates the service.
registry.category("web_tour.tours").add("psa_citizen_rates_dossier_phone", {
    steps: () => [
        fitsThePhone("The tracking page"),
        {
            content: "The dossier code comes from the QR code",
            trigger: '.o_psa_tracking_form input[name="code"][value*="-"]',
        },
        {
            content: "Type the last 4 digits of the phone",
            trigger: '.o_psa_tracking_form input[name="phone_digits"]',
            run: "edit 5678",
        },
        {
            content: "Track",
            trigger: ".o_psa_tracking_form .o_psa_tracking_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The dossier shows with its status history",
            trigger: '.o_psa_tracking_result[data-status-code="10"]',
        },
        fitsThePhone("The tracking result"),
        {
            content: "The result is returned: follow the link to rate the service",
            trigger: '.o_psa_tracking_result[data-status-code="10"] .o_psa_tracking_evaluate a',
            run: "click",
            expectUnloadPage: true,
        },
        fitsThePhone("The evaluation page"),
        ...INDICATORS.map((name) => ({
            content: `Score ${name}`,
            // Neutral on the waiting time, satisfied with the rest.
            trigger: `.o_psa_evaluation_form input[name="${name}"][value="${
                name === "score_time" ? 1 : 2
            }"]`,
            run: "click",
        })),
        {
            content: "Write a comment",
            trigger: '.o_psa_evaluation_form textarea[name="comment"]',
            run: "edit Nhân viên nhiệt tình, nhưng phải chờ hơi lâu.",
        },
        {
            content: "Send the evaluation",
            trigger: ".o_psa_evaluation_form .o_psa_evaluation_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The evaluation is recorded",
            trigger: ".o_psa_evaluation_done.o_psa_evaluation_thanks",
        },
        fitsThePhone("The thank-you page"),
    ],
});

// Agent staff file a new citizen's dossier with its scans at the counter, on a phone.
registry.category("web_tour.tours").add("psa_staff_new_dossier_phone", {
    url: "/my/dossiers/new",
    steps: () => [
        fitsThePhone("The new dossier form"),
        ...registry.category("web_tour.tours").get("psa_portal_new_dossier").steps(),
        fitsThePhone("The dossier page"),
    ],
});

// A Center officer finds a new dossier, takes it from receipt to result and prints form 01.
registry.category("web_tour.tours").add("psa_officer_receipt_to_result", {
    url: "/odoo",
    steps: () => [
        {
            content: "The officer lands on the dossiers: look for the citizen",
            trigger: '.o_kanban_view:has(.o_last_breadcrumb_item:contains("Hồ sơ")) .o_searchview_input',
            run: "edit Lê Thị Tour",
        },
        {
            content: "Search the citizen",
            trigger: '.o_searchview_autocomplete .o_menu_item:contains("Công dân")',
            run: "click",
        },
        {
            content: "Open the dossier",
            trigger: '.o_kanban_view .o_kanban_record:contains("Lê Thị Tour")',
            run: "click",
        },
        {
            content: "Receive the dossier",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_receive"]',
            run: "click",
        },
        {
            content: "Start processing",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_start_processing"]:visible',
            run: "click",
        },
        {
            content: "Mark it processed",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_mark_done"]',
            run: "click",
        },
        {
            content: "Return the result",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_return_result"]',
            run: "click",
        },
        {
            content: "The dossier is closed: no more status buttons",
            trigger:
                '.o_form_view:not(:has(.o_statusbar_buttons button[name="action_return_result"])) .o_statusbar_status .o_arrow_button_current:contains("Đã trả kết quả")',
        },
        {
            content: "Open the actions menu",
            trigger: ".o_form_view .o_cp_action_menus button:has(i.fa-cog)",
            run: "click",
        },
        {
            content: "Open the print menu",
            trigger: ".o-dropdown--menu button:has(i.fa-print)",
            run: "click",
        },
        {
            content: "Print form 01: the browser downloads it",
            trigger: '.o-dropdown--menu .o_menu_item:contains("Mẫu 01")',
            // The first print of a run also builds the report's style sheets.
            timeout: 60000,
            async run(helpers) {
                // Resource timing reports the download once its response has arrived.
                const downloaded = new Promise((resolve) => {
                    const observer = new PerformanceObserver((list) => {
                        const entry = list
                            .getEntries()
                            .find((e) => e.name.endsWith("/report/download"));
                        if (entry) {
                            observer.disconnect();
                            resolve(entry);
                        }
                    });
                    observer.observe({ type: "resource" });
                });
                await helpers.click();
                const entry = await downloaded;
                if (entry.responseStatus !== 200) {
                    throw new Error(`Form 01 answered HTTP ${entry.responseStatus}`);
                }
            },
        },
        {
            content: "No error: the dossier stays on screen, returned",
            trigger:
                'body:not(:has(.o_dialog)) .o_form_view .o_statusbar_status .o_arrow_button_current:contains("Đã trả kết quả")',
        },
    ],
});

// A Center administrator suspends an agent, giving the reason.
registry.category("web_tour.tours").add("psa_admin_suspend_agent", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: '.o_app[data-menu-xmlid="public_service_agent.psa_menu_root"]',
            run: "click",
        },
        {
            trigger: '.o_menu_sections [data-menu-xmlid="public_service_agent.psa_menu_network"]',
            run: "click",
        },
        {
            trigger: '.dropdown-item[data-menu-xmlid="public_service_agent.psa_agent_menu"]',
            run: "click",
        },
        {
            content: "Look the agent up by name",
            trigger: '.o_kanban_view:has(.o_last_breadcrumb_item:contains("Đại lý")) .o_searchview_input',
            run: "edit Bưu điện Tour Suspend",
        },
        {
            content: "Search by name (the first field)",
            trigger: ".o_searchview_autocomplete .o_menu_item:first",
            run: "click",
        },
        {
            content: "Open the agent",
            trigger:
                '.o_kanban_view:has(.o_facet_value:contains("Bưu điện Tour Suspend")) .o_kanban_record:contains("Bưu điện Tour Suspend")',
            run: "click",
        },
        {
            content: "Suspend it",
            trigger:
                '.o_form_view .o_statusbar_buttons button[name="action_open_reason_wizard"]:contains("Tạm dừng")',
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: '.modal .o_field_widget[name="reason"] textarea',
            run: "edit Thu phí ngoài quy định, chờ thanh tra.",
        },
        {
            content: "Confirm",
            trigger: '.modal .modal-footer button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The agent shows as suspended, with its reason",
            trigger:
                'body:not(:has(.modal)) .o_form_view:has(.ribbon:contains("Tạm dừng")) .o_field_widget[name="state_reason"]:contains("Thu phí ngoài quy định")',
        },
        {
            content: "It can be opened again, not suspended twice",
            trigger:
                '.o_form_view .o_statusbar_buttons:has(button[name="action_activate"]):not(:has(button:contains("Tạm dừng")))',
        },
    ],
});
