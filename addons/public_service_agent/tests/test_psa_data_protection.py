"""The attacks of issue 7 ("Citizen data protection"), each tried as an attacker would.

Every test here failed on the code before the fix (commit 91fccd5): over real HTTP with
``/web/dataset/call_kw`` or the portal's routes where the attack used them.
"""

import json
import os

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import run_post_migrate
from .test_psa_portal import DENIALS, PDF, PsaHttpCommon


@tagged("post_install", "-at_install")
class TestPsaDataProtection(PsaHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dossier_a = cls._fill(cls._new_dossier(cls.agent_a))
        cls.trainer_like = new_test_user(cls.env, login="t_internal", groups="base.group_user")

    def _rpc_error(self, model, method, args, kwargs=None):
        """The exception name an RPC call ends with (fails the test when it succeeds)."""
        params = {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        payload = response.json()
        self.assertIn("error", payload, f"{model}.{method} succeeded: {payload.get('result')}")
        return payload["error"]["data"]["name"]

    # 1. -------------------------------------------------------------- evaluation link
    def test_1_evaluation_link_never_reaches_staff(self):
        dossier = self._return_result(self._fill(self._new_dossier(self.agent_a)))
        token = dossier.sudo().evaluation_token
        self.assertTrue(token)
        self._login(self.staff_a)
        messages = self._call_kw(
            "mail.message",
            "search_read",
            [[("model", "=", "psa.dossier"), ("res_id", "=", dossier.id)]],
            {"fields": ["body"]},
        )
        self.assertNotIn(token, str(messages))
        fetched = self.make_jsonrpc_request(
            "/mail/chatter_fetch", {"thread_model": "psa.dossier", "thread_id": dossier.id}
        )
        self.assertNotIn(token, str(fetched))
        # Nor through the dossier itself, nor the outgoing mail queue.
        with mute_logger(*DENIALS):
            self.assertEqual(
                self._rpc_error("psa.dossier", "read", [dossier.ids, ["evaluation_token"]]),
                "odoo.exceptions.AccessError",
            )
            self.assertEqual(
                self._rpc_error("mail.mail", "search_read", [[]], {"fields": ["body_html"]}),
                "odoo.exceptions.AccessError",
            )
        # The citizen gets it: by e-mail when one is on file, and on the tracking page.
        # No e-mail on file for this citizen: no mail, the tracking page has the link.
        self.assertFalse(self.env["mail.mail"].search([("body_html", "ilike", token)]))
        self.authenticate(None, None)
        page = self.url_open(
            "/tracking",
            data={
                "csrf_token": self._csrf("/tracking"),
                "code": dossier.name,
                "phone_digits": "5678",
            },
        )
        self.assertIn(f"/dossier/evaluate/{token}", page.text)

    def test_1_no_evaluation_link_with_digits_typed_at_a_counter(self):
        # Staff who typed their own phone for a known citizen track the dossier, but the
        # evaluation link needs the digits of the phone on the citizen's record.
        dossier = self._return_result(self._fill(self._new_dossier(self.agent_a)))
        dossier.sudo().with_context(psa_skip_checks=True).write({"filed_phone": "+84977000111"})
        token = dossier.sudo().evaluation_token
        self.authenticate(None, None)
        page = self.url_open(
            "/tracking",
            data={
                "csrf_token": self._csrf("/tracking"),
                "code": dossier.name,
                "phone_digits": "0111",
            },
        )
        self.assertIn("o_psa_tracking_result", page.text)
        self.assertNotIn(token, page.text)

    def test_1_evaluation_link_by_email_to_the_citizen(self):
        self.citizen.email = "an.nguyen@example.vn"
        dossier = self._return_result(self._fill(self._new_dossier(self.agent_a)))
        token = dossier.sudo().evaluation_token
        mail = self.env["mail.mail"].search([("body_html", "ilike", token)])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.citizen)
        self.assertFalse(mail.model)
        self.assertFalse(
            self.env["mail.message"].search(
                [("model", "=", "psa.dossier"), ("body", "ilike", token)]
            )
        )

    def test_1_migration_rotates_posted_tokens(self):
        dossier = self._return_result(self._fill(self._new_dossier(self.agent_a)))
        old = dossier.sudo().evaluation_token
        # As the old code did: the link in the chatter.
        dossier.message_post(body=f"Rate us: /dossier/evaluate/{old}")
        evaluation_count = self.env["psa.dossier.evaluation"].search_count([])
        citizens = self.env["res.partner"].search_count([("psa_is_citizen", "=", True)])
        run_post_migrate(self.env.cr, "public_service_agent", "18.0.1.1.0", "18.0.1.0.0")
        dossier.invalidate_recordset()
        new = dossier.sudo().evaluation_token
        self.assertTrue(new)
        self.assertNotEqual(new, old)
        self.assertFalse(self.env["mail.message"].search([("body", "ilike", old)]))
        self.assertTrue(dossier.exists())
        self.assertEqual(self.env["psa.dossier.evaluation"].search_count([]), evaluation_count)
        self.assertEqual(
            self.env["res.partner"].search_count([("psa_is_citizen", "=", True)]), citizens
        )
        # The old link is dead, the new one works.
        self.assertEqual(self.url_open(f"/dossier/evaluate/{old}").status_code, 404)
        self.assertEqual(self.url_open(f"/dossier/evaluate/{new}").status_code, 200)

    # 2. -------------------------------------------------------------- any partner's data
    @mute_logger(*DENIALS)
    def test_2_portal_cannot_create_a_dossier_for_any_partner(self):
        stranger = self.env["res.partner"]._psa_find_or_create_citizen(
            {"name": "Trần Thị Bích", "psa_cccd": "001190011111", "phone": "0911111111"}
        )
        self._login(self.staff_a)
        error = self._rpc_error(
            "psa.dossier",
            "create",
            [
                {
                    "procedure_id": self.procedure.id,
                    "citizen_id": stranger.id,
                    "agent_id": self.agent_a.id,
                }
            ],
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        self.assertFalse(self.env["psa.dossier"].search([("citizen_id", "=", stranger.id)]))
        # The portal filing method is private: not callable over RPC.
        error = self._rpc_error("psa.dossier", "_psa_portal_file", [{}, {}, {}])
        self.assertIn("AccessError", error)
        # Reading a partner, its CCCD or phone directly is refused too.
        error = self._rpc_error("res.partner", "read", [stranger.ids, ["name", "phone"]])
        self.assertEqual(error, "odoo.exceptions.AccessError")

    # 3. -------------------------------------------------------------- take-over by CCCD
    def _file_at_b(self, cccd, phone, name="Nguyễn Văn Giả", email="gia@example.vn"):
        self._login(self.staff_b)
        data = {
            "cccd": cccd,
            "citizen_name": name,
            "phone": phone,
            "email": email,
            "street": "",
            "procedure_id": str(self.procedure.id),
            "return_method": "agent",
            "csrf_token": self._csrf("/my/dossiers/new"),
        }
        files = {
            f"doc_{doc.id}": (f"scan-{doc.id}.pdf", PDF, "application/pdf")
            for doc in self.procedure.document_ids.filtered("required")
        }
        return self.url_open("/my/dossiers/new", data=data, files=files)

    @mute_logger(*DENIALS)
    def test_3_filing_at_another_agent_reveals_and_overwrites_nothing(self):
        self.citizen.email = "an.nguyen@example.vn"
        response = self._file_at_b(self.citizen.sudo().psa_cccd, "0977 000 111")
        self.assertIn("created=1", response.url)
        for secret in ("Nguyễn Văn An", "0912345678", "+84912345678", "an.nguyen@example.vn"):
            self.assertNotIn(secret, response.text)
        dossier = self.env["psa.dossier"].search([("agent_id", "=", self.agent_b.id)])
        self.assertEqual(dossier.citizen_id, self.citizen)
        # The record is untouched; what B typed stays on B's dossier, for an officer to accept.
        self.assertEqual(self.citizen.phone, "+84912345678")
        self.assertEqual(self.citizen.email, "an.nguyen@example.vn")
        self.assertEqual(self.citizen.name, "Nguyễn Văn An")
        self.assertEqual(dossier.filed_phone, "+84977000111")
        self.assertEqual(dossier.filed_email, "gia@example.vn")
        self.assertTrue(dossier.contact_review)
        # B's staff read back only what they typed, over RPC too.
        row = self._call_kw(
            "psa.dossier",
            "read",
            [dossier.ids, ["citizen_name", "citizen_phone", "citizen_id"]],
        )[0]
        self.assertEqual(row["citizen_name"], "Nguyễn Văn Giả")
        self.assertEqual(row["citizen_phone"], "+84977000111")
        self.assertNotIn("Nguyễn Văn An", str(row))
        # Agent A's dossier still tracks with the citizen's own phone digits.
        self.authenticate(None, None)
        page = self.url_open(
            "/tracking",
            data={
                "csrf_token": self._csrf("/tracking"),
                "code": self.dossier_a.name,
                "phone_digits": "5678",
            },
        )
        self.assertIn("o_psa_tracking_result", page.text)
        # An officer accepts the change.
        dossier.with_user(self.officer).action_accept_contact_change()
        self.assertEqual(self.citizen.phone, "+84977000111")
        self.assertFalse(dossier.contact_review)

    @mute_logger(*DENIALS)
    def test_3_lookup_answers_alike_and_is_throttled(self):
        self._login(self.staff_b)
        known = self.make_jsonrpc_request(
            "/my/dossiers/citizen", {"cccd": self.citizen.sudo().psa_cccd}
        )
        unknown = self.make_jsonrpc_request("/my/dossiers/citizen", {"cccd": "001199077777"})
        self.assertEqual(known, unknown)
        self.assertNotIn("Nguyễn", str(known))
        for _attempt in range(40):
            answer = self.make_jsonrpc_request("/my/dossiers/citizen", {"cccd": "001199077777"})
        self.assertTrue(answer["error"])
        self.assertNotEqual(answer, unknown)

    # 4. -------------------------------------------------------------- certification check
    @mute_logger(*DENIALS)
    def test_4_receiving_staff_is_always_the_caller(self):
        if not self._training_installed():
            self.skipTest("the certification check comes with agent_training")
        # A real staff member without certificates: agent_training's check refuses them.
        uncertified = self._new_staff("t_staff_uncertified", self.agent_a, certified=False)
        self.assertTrue(uncertified._psa_dossier_blockers())
        self.assertFalse(self.staff_a._psa_dossier_blockers())
        self._login(uncertified)
        error = self._rpc_error(
            "psa.dossier",
            "create",
            [
                {
                    "procedure_id": self.procedure.id,
                    "citizen_id": self.citizen.id,
                    "agent_id": self.agent_a.id,
                    "staff_user_id": self.staff_a.id,
                }
            ],
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        # Through the model's filing method the check applies to the caller.
        Dossier = self.env["psa.dossier"].with_user(uncertified)
        with self.assertRaises(UserError):
            Dossier._psa_portal_file(
                {"procedure_id": self.procedure.id, "return_method": "agent"},
                {"psa_cccd": "001090054321", "name": "Lê Thị Hoa", "phone": "+84987654321"},
                {},
            )
        dossier = (
            self.env["psa.dossier"]
            .with_user(self.staff_a)
            ._psa_portal_file(
                {
                    "procedure_id": self.procedure.id,
                    "return_method": "agent",
                    "staff_user_id": uncertified.id,
                    "agent_id": self.agent_b.id,
                    "citizen_id": self.citizen.id,
                },
                {"psa_cccd": "001090054321", "name": "Lê Thị Hoa", "phone": "+84987654321"},
                {},
            )
        )
        self.assertEqual(dossier.staff_user_id, self.staff_a)
        self.assertEqual(dossier.agent_id, self.agent_a)
        self.assertNotEqual(dossier.citizen_id, self.citizen)

    # 5. -------------------------------------------------------------- registry for all
    @mute_logger(*DENIALS)
    def test_5_internal_users_do_not_read_citizens(self):
        users = [self.trainer_like]
        for xmlid in ("agent_training.group_training_trainer", "subsidy.group_subsidy_finance"):
            if self.env.ref(xmlid, raise_if_not_found=False):
                login = "t_dp_" + xmlid.split(".")[1]
                users.append(
                    new_test_user(self.env, login=login, groups=f"base.group_user,{xmlid}")
                )
        for user in users:
            with self.subTest(user=user.login):
                self.authenticate(user.login, user.login)
                rows = self._call_kw(
                    "res.partner",
                    "search_read",
                    [[]],
                    {"fields": ["name", "phone", "street", "email"]},
                )
                self.assertNotIn(self.citizen.id, [row["id"] for row in rows])
                self.assertNotIn("0912345678", str(rows))
                found = self._call_kw("res.partner", "name_search", [], {"name": "Nguyễn Văn An"})
                self.assertFalse(found)
                found = self._call_kw("res.partner", "name_search", [], {"name": "+84912345678"})
                self.assertFalse(found)
                self.assertEqual(
                    self._rpc_error(
                        "res.partner", "search_read", [[("psa_cccd", "=", "001085012345")]]
                    ),
                    "odoo.exceptions.AccessError",
                )
                self.assertEqual(
                    self._rpc_error("res.partner", "read", [self.citizen.ids, ["phone"]]),
                    "odoo.exceptions.AccessError",
                )
        # Officers do read them, and the masked name is what others get on linked records.
        self.assertEqual(self.citizen.with_user(self.officer).phone, "+84912345678")
        self.assertEqual(
            self.citizen.with_user(self.trainer_like).sudo().psa_masked_name, "Nguyễn V. A."
        )
        self.assertEqual(
            self.citizen.with_user(self.trainer_like).sudo().display_name, "Nguyễn V. A."
        )
        self.assertEqual(self.citizen.with_user(self.officer).display_name, "Nguyễn Văn An")

    # 6. -------------------------------------------------------------- document slots
    @mute_logger(*DENIALS)
    def test_6_document_slots_cannot_be_forged(self):
        closed = self._return_result(self._fill(self._new_dossier(self.agent_a)))
        self._login(self.staff_a)
        error = self._rpc_error(
            "psa.dossier.document",
            "create",
            [{"dossier_id": closed.id, "name": "Forged", "state": "accepted", "file": "UERG"}],
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        slot = self.dossier_a.document_ids[0]
        error = self._rpc_error("psa.dossier.document", "write", [slot.ids, {"state": "accepted"}])
        self.assertEqual(error, "odoo.exceptions.AccessError")
        self._login(self.officer)
        error = self._rpc_error(
            "psa.dossier.document",
            "create",
            [{"dossier_id": self.dossier_a.id, "name": "Forged", "state": "accepted"}],
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        error = self._rpc_error("psa.dossier.document", "write", [slot.ids, {"state": "accepted"}])
        self.assertEqual(error, "odoo.exceptions.AccessError")
        # Creating a dossier with its own slots skips nothing.
        error = self._rpc_error(
            "psa.dossier",
            "create",
            [
                {
                    "procedure_id": self.procedure.id,
                    "citizen_id": self.citizen.id,
                    "agent_id": self.agent_a.id,
                    "document_ids": [[0, 0, {"name": "Anything", "state": "accepted"}]],
                }
            ],
        )
        self.assertEqual(error, "odoo.exceptions.UserError")
        # Officers change a state through their actions only.
        self._call_kw("psa.dossier.document", "action_reject", [slot.ids, "Blurred scan"])
        self.assertEqual(slot.state, "rejected")
        self._call_kw("psa.dossier.document", "action_accept", [slot.ids])
        self.assertEqual(slot.state, "accepted")
        self._login(self.staff_a)
        error = self._rpc_error("psa.dossier.document", "action_accept", [slot.ids])
        self.assertEqual(error, "odoo.exceptions.AccessError")
        fresh = self._new_dossier(self.agent_a)
        self.assertEqual(fresh.missing_document_count, 2)

    # 7. -------------------------------------------------------------- suspended agent
    @mute_logger(*DENIALS)
    def test_7_staff_of_a_suspended_agent_lose_its_citizens(self):
        self.agent_a.with_user(self.admin_user).write(
            {"state": "suspended", "state_reason": "Audit"}
        )
        self._login(self.staff_a)
        self.assertEqual(self._call_kw("psa.dossier", "search_read", [[]], {"fields": ["id"]}), [])
        error = self._rpc_error("psa.dossier", "read", [self.dossier_a.ids, ["citizen_cccd"]])
        self.assertEqual(error, "odoo.exceptions.AccessError")
        page = self.url_open(f"/my/dossiers/{self.dossier_a.id}")
        self.assertNotIn(self.dossier_a.name, page.text)
        self.assertFalse(self.dossier_a._psa_staff_may_read(self.staff_a))

    # 8. -------------------------------------------------------------- smaller holes
    @mute_logger(*DENIALS)
    def test_8_sudo_actions_are_for_officers(self):
        self.dossier_a.action_receive()
        self._login(self.staff_a)
        for method, args in (
            ("action_issue_apology", [self.dossier_a.ids, "Trễ", "2099-01-01 10:00:00"]),
            ("action_refuse", [self.dossier_a.ids, "Không"]),
            ("action_request_supplement", [self.dossier_a.ids, "Thêm giấy"]),
            ("action_accept_contact_change", [self.dossier_a.ids]),
            ("action_reveal_citizen", [self.dossier_a.ids]),
        ):
            with self.subTest(method=method):
                self.assertEqual(
                    self._rpc_error("psa.dossier", method, args), "odoo.exceptions.AccessError"
                )
        self.assertFalse(self.dossier_a.apology_issued)
        self.assertEqual(self.dossier_a.status_code, 2)

    def test_8_child_models_follow_the_company(self):
        company_2 = self.env["res.company"].create({"name": "Other Center"})
        outsider = new_test_user(
            self.env,
            login="t_officer_2",
            groups="public_service_agent.group_psa_admin",
            company_id=company_2.id,
            company_ids=[(6, 0, company_2.ids)],
        )
        Document = self.env["psa.dossier.document"].with_user(outsider)
        self.assertFalse(Document.search([("dossier_id", "=", self.dossier_a.id)]))
        evaluation = (
            self.env["psa.dossier.evaluation"]
            .sudo()
            .create(
                {
                    "dossier_id": self._return_result(
                        self._fill(self._new_dossier(self.agent_a))
                    ).id,
                    **dict.fromkeys(
                        [
                            "score_publicity",
                            "score_time",
                            "score_contacts",
                            "score_agencies",
                            "score_attitude",
                            "score_result",
                            "score_cost",
                            "score_feedback",
                            "score_online",
                        ],
                        "2",
                    ),
                }
            )
        )
        self.assertFalse(self.env["psa.dossier.evaluation"].with_user(outsider).search([]))
        with self.assertRaises(AccessError):
            evaluation.with_user(outsider).read(["score_total"])

    def test_8_tracking_limits_failures_per_dossier_code(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("public_service_agent.tracking_rate_limit", "10")
        params.set_param("public_service_agent.tracking_rate_limit_code", "3")
        self.authenticate(None, None)

        def track(code, digits):
            return self.url_open(
                "/tracking",
                data={"csrf_token": self._csrf("/tracking"), "code": code, "phone_digits": digits},
            )

        for digits in ("0001", "0002", "0003"):
            self.assertEqual(track(self.dossier_a.name, digits).status_code, 200)
        self.assertEqual(track(self.dossier_a.name, "0004").status_code, 429)
        # The limit is per code: another dossier still answers from the same address.
        other = self._fill(self._new_dossier(self.agent_b))
        self.assertEqual(track(other.name, "5678").status_code, 200)

    def test_8_tracking_address_ceiling(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("public_service_agent.tracking_rate_limit_address", "4")
        self.authenticate(None, None)
        codes = [f"000.00.05.H26-991231-{n:04d}" for n in range(5)]
        statuses = [
            self.url_open(
                "/tracking",
                data={"csrf_token": self._csrf("/tracking"), "code": code, "phone_digits": "1234"},
            ).status_code
            for code in codes
        ]
        self.assertEqual(statuses, [200, 200, 200, 200, 429])

    def test_8_no_admin_master_password(self):
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
        path = os.path.join(root, "odoo.conf")
        if not os.path.exists(path):
            self.skipTest("no odoo.conf next to the addons")
        with open(path, encoding="utf-8") as handle:
            lines = [line.split("=", 1) for line in handle if line.startswith("admin_passwd")]
        self.assertEqual(len(lines), 1)
        self.assertNotIn(lines[0][1].strip(), ("admin", ""))

    # ------------------------------------------------------------------ reveal and export log
    def test_reveal_and_export_are_logged(self):
        Log = self.env["psa.personal.data.log"]
        self.officer.groups_id |= self.env.ref("base.group_allow_export")
        officer_dossier = self.dossier_a.with_user(self.officer)
        self.assertEqual(officer_dossier.citizen_cccd, "*********345")
        self.assertNotIn("12345678", officer_dossier.citizen_phone)
        action = officer_dossier.action_reveal_citizen()
        self.assertIn("001085012345", action["params"]["message"])
        log = Log.search([("dossier_id", "=", self.dossier_a.id)])
        self.assertEqual(len(log), 1)
        self.assertEqual(
            (log.user_id, log.kind, log.citizen_id), (self.officer, "reveal", self.citizen)
        )
        officer_dossier.export_data(["name", "citizen_name"])
        self.assertEqual(
            Log.search_count([("kind", "=", "export"), ("user_id", "=", self.officer.id)]), 1
        )
        officer_dossier.export_data(["name", "status_code"])
        self.assertEqual(Log.search_count([("kind", "=", "export")]), 1)
        action = self.citizen.with_user(self.officer).action_psa_reveal()
        self.assertIn("001085012345", action["params"]["message"])
        self.assertEqual(
            Log.search_count([("kind", "=", "reveal"), ("model", "=", "res.partner")]), 1
        )
        self.assertEqual(self.citizen.with_user(self.officer).psa_cccd_masked, "*********345")
        self.citizen.with_user(self.officer).export_data(["name", "phone"])
        log = Log.search([("kind", "=", "export"), ("model", "=", "res.partner")])
        self.assertEqual((log.citizen_id, log.field_names), (self.citizen, "name phone"))
        # Administrators read the log; officers do not.
        self.assertTrue(Log.with_user(self.admin_user).search([]))
        with self.assertRaises(AccessError):
            Log.with_user(self.officer).search([])
