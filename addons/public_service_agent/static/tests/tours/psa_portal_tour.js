import { registry } from "@web/core/registry";

// A tiny valid PDF, attached to every required slot of the chosen procedure.
const PDF_BASE64 = "JVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoKPDwvVHlwZS9DYXRhbG9nPj4KZW5kb2JqCnRyYWlsZXIKPDwvUm9vdCAxIDAgUj4+CiUlRU9G";

async function attachScan(input, name) {
    const blob = await (await fetch(`data:application/pdf;base64,${PDF_BASE64}`)).blob();
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], name, { type: "application/pdf" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

// Agent staff register a new citizen's dossier with its scans from the portal.
registry.category("web_tour.tours").add("psa_portal_new_dossier", {
    url: "/my/dossiers/new",
    steps: () => [
        {
            content: "Enter the citizen's CCCD",
            trigger: '.o_psa_dossier_form input[name="cccd"]',
            run: "edit 001190012345",
        },
        {
            content: "Look the citizen up",
            trigger: ".o_psa_dossier_form .o_psa_citizen_lookup",
            run: "click",
        },
        {
            content: "The CCCD is not known yet",
            trigger: '.o_psa_citizen_lookup_result[data-found="0"]',
        },
        {
            content: "Enter the citizen's name",
            trigger: '.o_psa_dossier_form input[name="citizen_name"]',
            run: "edit Trần Thị Bình",
        },
        {
            content: "Enter the citizen's phone",
            trigger: '.o_psa_dossier_form input[name="phone"]',
            run: "edit 0987 654 321",
        },
        {
            content: "Choose the procedure",
            trigger: '.o_psa_dossier_form select[name="procedure_id"]',
            run: "selectByLabel T.000001",
        },
        {
            content: "Its checklist shows up: attach a scan to each required document",
            trigger: '.o_psa_checklist:not(.d-none) input[type="file"][data-required="1"]:enabled',
            async run() {
                const inputs = document.querySelectorAll(
                    '.o_psa_checklist:not(.d-none) input[type="file"][data-required="1"]'
                );
                let index = 0;
                for (const input of inputs) {
                    index += 1;
                    await attachScan(input, `scan-${index}.pdf`);
                }
            },
        },
        {
            content: "The result is returned at the agent",
            trigger: '.o_psa_dossier_form select[name="return_method"]',
            run: "select agent",
        },
        {
            content: "Register the dossier",
            trigger: ".o_psa_dossier_form .o_psa_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The dossier page opens at status 1 with its scans",
            trigger: '.o_psa_dossier_page[data-status-code="1"] .o_psa_created',
        },
        {
            content: "The scans can be downloaded",
            trigger: '.o_psa_dossier_page .o_psa_document[data-state="submitted"] .o_psa_document_download',
        },
    ],
});
