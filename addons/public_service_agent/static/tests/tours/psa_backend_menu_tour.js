import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A Center officer opens the suite from the apps menu and reaches the agent network.
registry.category("web_tour.tours").add("psa_backend_menu", {
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
            trigger: '.o_kanban_view .o_kanban_record:contains("Tour Agent Hoàn Kiếm")',
            run: "click",
        },
        {
            trigger: '.o_form_view .o_field_widget[name="operator_id"]:contains("Tour Operator")',
        },
    ],
});
