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
