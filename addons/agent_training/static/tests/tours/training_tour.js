import { registry } from "@web/core/registry";

// A trainer closes a session: ticks the trainee present and marks the session done.
registry.category("web_tour.tours").add("training_trainer_close_session", {
    url: "/odoo/action-agent_training.training_session_action",
    steps: () => [
        {
            content: "Open the session of the tour course",
            trigger: '.o_list_view .o_data_row:contains("Tour Course") .o_data_cell[name="course_id"]',
            run: "click",
        },
        {
            content: "Edit the trainee's line",
            trigger:
                '.o_field_widget[name="attendance_ids"] .o_data_row:contains("Tour Trainee") .o_data_cell[name="exam_state"]',
            run: "click",
        },
        {
            content: "Tick the trainee present",
            trigger:
                '.o_field_widget[name="attendance_ids"] .o_data_row.o_selected_row .o_data_cell[name="present"] input[type="checkbox"]:enabled',
            run: "check",
        },
        {
            content: "Close the session",
            trigger: 'button[name="action_done"]',
            run: "click",
        },
        {
            content: "Confirm: present trainees are invited to the exam",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The session is done",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Done")',
        },
        {
            content: "The trainee was invited",
            trigger:
                '.o_field_widget[name="attendance_ids"] .o_data_row:contains("Tour Trainee") .o_data_cell[name="exam_state"]:contains("Invited")',
        },
    ],
});

// The trainee takes the exam from the portal and finds the certificate there.
registry.category("web_tour.tours").add("training_trainee_exam", {
    url: "/my/certificates",
    steps: () => [
        {
            content: "The exam is waiting",
            trigger: '.o_training_pending_exams a.o_training_take_exam',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Start the exam",
            trigger: 'button.btn-primary:contains("Start Certification")',
            run: "click",
        },
        {
            content: "Answer the first question",
            trigger: 'div.js_question-wrapper:contains("Which portal files dossiers online?") label:contains("The public-service portal")',
            run: "click",
        },
        {
            content: "Answer the second question",
            trigger: 'div.js_question-wrapper:contains("May an agent charge extra fees?") label:contains("Never")',
            run: "click",
        },
        {
            content: "Submit",
            trigger: 'button[type="submit"]',
            run: "click",
        },
        {
            content: "Passed",
            trigger: 'h1:contains("You scored")',
        },
        {
            content: "Back to my certificates",
            trigger: "body",
            run: "goToUrl /my/certificates",
            expectUnloadPage: true,
        },
        {
            content: "The certificate is listed",
            trigger: '.o_training_certificate_row .o_training_course:contains("Tour Course")',
        },
    ],
});

// A trainer opens the launch readiness report from the menu: which agent may open, and why not.
registry.category("web_tour.tours").add("training_trainer_readiness_report", {
    url: "/odoo",
    steps: () => [
        {
            content: "The trainer lands on the training sessions: open the apps",
            trigger: ".o_main_navbar .o_navbar_apps_menu button",
            run: "click",
        },
        {
            trigger: '.o_app[data-menu-xmlid="agent_training.training_menu_root"]',
            run: "click",
        },
        {
            content: "Reporting",
            trigger: '.o_menu_sections [data-menu-xmlid="agent_training.training_menu_reporting"]',
            run: "click",
        },
        {
            content: "Launch readiness",
            trigger: '.dropdown-item[data-menu-xmlid="agent_training.training_readiness_report_menu"]',
            run: "click",
        },
        {
            content: "The report groups the agents by pilot phase, then by readiness",
            trigger:
                '.o_list_view:has(.o_last_breadcrumb_item:contains("Sẵn sàng khai trương")) .o_group_header:contains("Đợt Tour (2)")',
        },
        {
            // Readiness groups follow their phase: "not ready", then "ready".
            content: "Open the phase's ready agents",
            trigger:
                '.o_group_header:contains("Đợt Tour (2)") + .o_group_header + .o_group_header:contains("Sẵn sàng (1)")',
            run: "click",
        },
        {
            content: "The agent with enough certified staff and its checklist done is ready",
            trigger:
                '.o_list_view .o_data_row:contains("Bưu điện Tour Đủ") .o_data_cell[name="readiness"]:contains("Sẵn sàng"):not(:contains("Chưa"))',
        },
        {
            content: "Open the others",
            trigger:
                '.o_group_header:contains("Đợt Tour (2)") + .o_group_header:contains("Chưa sẵn sàng (1)")',
            run: "click",
        },
        {
            content: "The agent short of certified staff is not ready",
            trigger:
                '.o_list_view .o_data_row:contains("Bưu điện Tour Thiếu") .o_data_cell[name="readiness"]:contains("Chưa sẵn sàng")',
        },
        {
            content: "Show why",
            trigger: ".o_list_view .o_optional_columns_dropdown_toggle",
            run: "click",
        },
        {
            trigger: '.o-dropdown--menu input[name="reason"]',
            run: "click",
        },
        {
            content: "The reason names the missing certificates",
            trigger:
                '.o_list_view .o_data_row:contains("Bưu điện Tour Thiếu") .o_data_cell[name="reason"]:contains("Chưa sẵn sàng, vì")',
        },
        {
            content: "Pivot the report: agents covering each course, per phase",
            trigger: ".o_control_panel .o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The phase and the course are on the pivot",
            trigger: '.o_pivot table:has(th:contains("Đợt Tour")):has(th:contains("Khóa Tour"))',
        },
    ],
});
