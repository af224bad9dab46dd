"""Tests generated from the declared access matrix (``security/access_matrix*.csv``).

Every installed addon of the suite declares, per model and group, the model-level
rights and the personal fields the group reads in clear. These tests check each row
through the ORM and over ``/web/dataset/call_kw`` as a user holding only that group,
and fail for a model of the suite, or a personal field, that the files do not declare.

Personal fields, by rule: on the suite's models and on ``res.partner`` (citizens),
every non-boolean field whose name contains ``cccd``, ``phone``, ``mobile``, ``email``,
``street`` or ``address``, plus the fields naming a citizen (``citizen_name``,
``filed_name``, ``res.partner.name``). Fields named ``*masked*`` hold masked values by
construction. Fields a model gets through ``_inherits`` belong to the parent model
(``psa.agent``'s own contact is its partner's) and are declared there.
"""

import csv
import glob
import json
import os
import re

from odoo.exceptions import AccessError
from odoo.modules.module import get_module_path
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import GROUPS, OPERATIONS
from .test_psa_portal import DENIALS, PsaHttpCommon

SUITE = ("public_service_agent", "agent_training", "postal_delivery", "subsidy")
PERSONAL_RE = re.compile(r"cccd|phone|mobile|email|street|address")
CITIZEN_NAME_FIELDS = {"citizen_name", "filed_name"}
# Public addresses of government offices match the rule by name but describe no citizen.
NOT_PERSONAL = {("psa.procedure", "agency_address")}
HEADER = [
    "model",
    "group",
    "perm_read",
    "perm_write",
    "perm_create",
    "perm_unlink",
    "personal_fields",
]


def matrix_files(env):
    installed = set(
        env["ir.module.module"]
        .sudo()
        .search([("name", "in", SUITE), ("state", "in", ("installed", "to upgrade"))])
        .mapped("name")
    )
    files = []
    for addon in SUITE:
        if addon in installed:
            path = get_module_path(addon)
            files += sorted(glob.glob(os.path.join(path, "security", "access_matrix*.csv")))
    return files


def load_matrix(env):
    """{(model, group): row} from every file, with the file each row came from."""
    rows = {}
    for path in matrix_files(env):
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            assert header == HEADER, f"{path}: header must be {','.join(HEADER)}"
            for line in reader:
                if not line or not "".join(line).strip():
                    continue
                model, group, *perms, personal = line
                assert group in GROUPS, f"{path}: unknown group {group}"
                assert (model, group) not in rows, f"{path}: {model}/{group} declared twice"
                rows[(model, group)] = {
                    "perms": dict(zip(OPERATIONS, (p == "1" for p in perms), strict=True)),
                    "personal": set(personal.split()),
                    "file": os.path.basename(os.path.dirname(os.path.dirname(path))),
                }
    return rows


def suite_models(env):
    return sorted(
        name
        for name, cls in env.registry.items()
        if not cls._abstract and getattr(cls, "_original_module", None) in SUITE
    )


def personal_fields(model):
    """The personal fields of a model, by the rule of this module's docstring."""
    names = set()
    for name, field in model._fields.items():
        if field.inherited or field.type == "boolean" or "masked" in name:
            continue
        if (model._name, name) in NOT_PERSONAL:
            continue
        if PERSONAL_RE.search(name) or name in CITIZEN_NAME_FIELDS:
            names.add(name)
    if model._name == "res.partner":
        names.add("name")
    return names


@tagged("post_install", "-at_install")
class TestPsaAccessMatrix(PsaHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matrix = load_matrix(cls.env)
        cls.group_users = {}
        for key, xmlid in GROUPS.items():
            group = cls.env.ref(xmlid, raise_if_not_found=False)
            if not group:
                continue  # its addon is not installed: its rows are skipped
            if key == "portal":
                # A staff member of the open agent of the fixture dossier below.
                cls.group_users[key] = cls.staff_a
                continue
            groups = xmlid if key == "public" else f"base.group_user,{xmlid}"
            cls.group_users[key] = new_test_user(cls.env, login=f"t_mx_{key}", groups=groups)
        # A citizen served by agent A, and the values that must never leak.
        # A phone no demo contact uses (l10n_vn's demo company has 091 234 56 78).
        cls.citizen.write(
            {"email": "an.nguyen@example.vn", "street": "12 Phố Huế", "phone": "0936101123"}
        )
        cls.dossier = cls._fill(cls._new_dossier(cls.agent_a, street="12 Phố Huế"))
        cls.dossier.sudo().with_context(psa_skip_checks=True).write(
            {
                "filed_name": "Nguyễn Văn An",
                "filed_phone": "+84936101123",
                "filed_email": "an.nguyen@example.vn",
            }
        )
        cls.secrets = {
            "001085012345",
            "0936101123",
            "+84936101123",
            "936101123",
            "an.nguyen@example.vn",
            "12 Phố Huế",
            "Nguyễn Văn An",
        }

    # ------------------------------------------------------------------ completeness
    def test_every_model_has_its_seven_rows(self):
        models = suite_models(self.env) + ["res.partner"]
        missing = [
            f"{model}/{group}"
            for model in models
            for group in GROUPS
            if (model, group) not in self.matrix
        ]
        self.assertFalse(missing, "Models without their rows in security/access_matrix*.csv")
        unknown = sorted({model for model, _group in self.matrix} - set(self.env.registry))
        self.assertFalse(unknown, "Rows for models that do not exist")

    def test_every_personal_field_is_declared(self):
        for model_name in suite_models(self.env) + ["res.partner"]:
            Model = self.env[model_name]
            declared = set().union(
                *(
                    row["personal"]
                    for (model, _group), row in self.matrix.items()
                    if model == model_name
                )
            )
            with self.subTest(model=model_name):
                self.assertFalse(
                    personal_fields(Model) - declared,
                    f"{model_name}: personal fields missing from the access matrix",
                )
                self.assertFalse(
                    declared - set(Model._fields), f"{model_name}: declared fields do not exist"
                )

    # ------------------------------------------------------------------ rights, ORM
    def test_rights_through_the_orm(self):
        for (model, group), row in sorted(self.matrix.items()):
            user = self.group_users.get(group)
            if not user or model not in self.env:
                continue
            Model = self.env[model].with_user(user)
            for operation in OPERATIONS:
                with self.subTest(model=model, group=group, operation=operation):
                    self.assertEqual(Model.has_access(operation), row["perms"][operation])
            if row["perms"]["read"]:
                with self.subTest(model=model, group=group, operation="search_read"):
                    Model.search_read([], ["id"], limit=5)

    # ------------------------------------------------------------------ rights, HTTP
    def _rpc(self, model, method, args, kwargs=None):
        """(ok, result or error name) of one call_kw over HTTP, errors included."""
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        payload = response.json()
        if "error" in payload:
            return False, payload["error"]["data"]["name"]
        return True, payload["result"]

    @mute_logger(*DENIALS)
    def test_rights_over_call_kw(self):
        by_group = {}
        for (model, group), row in self.matrix.items():
            by_group.setdefault(group, []).append((model, row))
        for group, rows in sorted(by_group.items()):
            user = self.group_users.get(group)
            if not user or group == "public":
                continue
            self.authenticate(user.login, user.login)
            for model, row in sorted(rows, key=lambda item: item[0]):
                if model not in self.env:
                    continue
                for operation in OPERATIONS:
                    with self.subTest(model=model, group=group, operation=operation):
                        ok, result = self._rpc(model, "has_access", [[], operation])
                        self.assertTrue(ok, result)
                        self.assertEqual(result, row["perms"][operation])
                with self.subTest(model=model, group=group, operation="search_read"):
                    ok, result = self._rpc(model, "search_read", [[], ["id"]], {"limit": 5})
                    self.assertEqual(ok, row["perms"]["read"], result)
                    if not ok:
                        self.assertEqual(result, "odoo.exceptions.AccessError")

    @mute_logger(*DENIALS)
    def test_public_visitors_get_no_rpc(self):
        self.authenticate(None, None)
        ok, result = self._rpc("psa.dossier", "search_read", [[], ["citizen_cccd"]])
        self.assertFalse(ok)
        self.assertEqual(result, "odoo.http.SessionExpiredException")

    # ------------------------------------------------------------------ personal data
    @mute_logger(*DENIALS)
    def test_personal_fields_stay_masked_for_undeclared_groups(self):
        """A group reads in clear only the personal fields its row declares, over HTTP."""
        checked = 0
        for (model, group), row in sorted(self.matrix.items()):
            user = self.group_users.get(group)
            if not user or group == "public" or model not in self.env or not row["perms"]["read"]:
                continue
            hidden = sorted(personal_fields(self.env[model]) - row["personal"])
            if not hidden:
                continue
            self.authenticate(user.login, user.login)
            Model = self.env[model].with_user(user)
            for fname in hidden:
                with self.subTest(model=model, group=group, field=fname, path="orm"):
                    try:
                        rows = Model.search_read([], [fname], limit=200)
                    except AccessError:
                        rows = []
                    text = json.dumps(rows, ensure_ascii=False, default=str)
                    self.assertFalse([secret for secret in self.secrets if secret in text])
                with self.subTest(model=model, group=group, field=fname, path="call_kw"):
                    ok, result = self._rpc(model, "search_read", [[], [fname]], {"limit": 200})
                    if not ok:
                        # Refusing the field altogether is fine too.
                        self.assertEqual(result, "odoo.exceptions.AccessError")
                        continue
                    text = json.dumps(result, ensure_ascii=False)
                    leaked = [secret for secret in self.secrets if secret in text]
                    self.assertFalse(leaked, f"{group} reads {model}.{fname} in clear")
                    checked += 1
        self.assertGreater(checked, 0)

    def test_declared_fields_are_clear_where_the_row_says_so(self):
        # The staff of the citizen's open agent read what was filed; officers the name.
        self.authenticate(self.staff_a.login, self.staff_a.login)
        ok, result = self._rpc(
            "psa.dossier", "read", [self.dossier.ids, ["citizen_name", "citizen_cccd"]]
        )
        self.assertTrue(ok, result)
        self.assertEqual(result[0]["citizen_name"], "Nguyễn Văn An")
        self.assertEqual(result[0]["citizen_cccd"], "001085012345")
        officer = self.group_users["officer"]
        self.authenticate(officer.login, officer.login)
        ok, result = self._rpc("res.partner", "read", [self.citizen.ids, ["name", "psa_cccd"]])
        self.assertTrue(ok, result)
        self.assertEqual(result[0]["psa_cccd"], "001085012345")
