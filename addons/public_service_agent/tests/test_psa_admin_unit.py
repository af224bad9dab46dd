from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import PsaCommon

LEGACY_DISTRICT_CODES = {
    *(f"{code:03d}" for code in range(1, 10)),
    *(f"{code:03d}" for code in range(16, 22)),
    "250",
    "268",
    "269",
    *(str(code) for code in range(271, 283)),
}


@tagged("post_install", "-at_install")
class TestPsaAdminUnit(PsaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Unit = cls.env["psa.admin.unit"].with_context(active_test=False)
        cls.hanoi = cls.env.ref("public_service_agent.psa_admin_unit_province_01")
        cls.portal_user = new_test_user(cls.env, login="t_unit_portal", groups="base.group_portal")

    def _ward(self, code):
        return self.env.ref(f"public_service_agent.psa_admin_unit_ward_{code}")

    def _legacy_ward(self, code):
        return self.env.ref(f"public_service_agent.psa_admin_unit_legacy_ward_{code}")

    def _counts(self):
        groups = self.Unit._read_group([], ["level", "is_legacy"], ["__count"])
        return {(level, legacy): count for level, legacy, count in groups}

    # ------------------------------------------------------------------
    # The units of 1 July 2025
    # ------------------------------------------------------------------

    def test_hanoi_126_wards_and_communes(self):
        self.assertEqual(self.hanoi.name, "Thành phố Hà Nội")
        self.assertEqual((self.hanoi.code, self.hanoi.level), ("01", "province"))
        self.assertFalse(self.hanoi.is_legacy)
        current = self.Unit.search([("level", "=", "ward"), ("is_legacy", "=", False)])
        self.assertEqual(len(current), 126)
        self.assertEqual(current.parent_id, self.hanoi)
        self.assertEqual(len(current.filtered(lambda u: u.division_type == "ward")), 51)
        self.assertEqual(len(current.filtered(lambda u: u.division_type == "commune")), 75)
        self.assertEqual(len(current.filtered(lambda u: u.name.startswith("Phường "))), 51)
        self.assertEqual(len(current.filtered(lambda u: u.name.startswith("Xã "))), 75)
        # Official codes of the statistics office, as in vietnam-provinces.
        self.assertEqual(self._ward("00070").name, "Phường Hoàn Kiếm")
        self.assertEqual(self._ward("00004").name, "Phường Ba Đình")
        self.assertEqual(self._ward("00097").name, "Phường Hồng Hà")
        self.assertEqual(self._ward("00073").name, "Phường Cửa Nam")
        self.assertEqual(self.hanoi.parent_path, f"{self.hanoi.id}/")
        self.assertEqual(
            self._ward("00070").parent_path, f"{self.hanoi.id}/{self._ward('00070').id}/"
        )

    def test_partner_ward_domain_excludes_former_units(self):
        domain = self.env["res.partner"]._fields["ward_id"].domain
        self.assertEqual(len(self.env["psa.admin.unit"].search(domain)), 126)

    # ------------------------------------------------------------------
    # Former units and the mapping
    # ------------------------------------------------------------------

    def test_former_30_districts_and_526_wards(self):
        districts = self.Unit.search([("level", "=", "district")])
        self.assertEqual(len(districts), 30)
        self.assertTrue(all(districts.mapped("is_legacy")))
        self.assertEqual(set(districts.mapped("code")), LEGACY_DISTRICT_CODES)
        self.assertEqual(districts.parent_id, self.hanoi)
        by_code = {d.code: d.name for d in districts}
        self.assertEqual(by_code["001"], "Quận Ba Đình")
        self.assertEqual(by_code["269"], "Thị xã Sơn Tây")
        self.assertEqual(by_code["282"], "Huyện Mỹ Đức")

        legacy = self.Unit.search([("level", "=", "ward"), ("is_legacy", "=", True)])
        self.assertEqual(len(legacy), 526)
        self.assertEqual(legacy.parent_id, districts)
        self.assertEqual(self._legacy_ward("00001").name, "Phường Phúc Xá")
        # Every former ward converts to a current unit that took part of it...
        for unit in legacy:
            self.assertIn(unit.successor_id, unit.successor_ids, unit.name)
        self.assertFalse(legacy.successor_ids.filtered("is_legacy"))
        # ... and every current unit was formed from former ones.
        current = self.Unit.search([("level", "=", "ward"), ("is_legacy", "=", False)])
        self.assertEqual(legacy.successor_ids, current)
        self.assertIn(self._legacy_ward("00001"), self._ward("00097").predecessor_ids)
        # Codes were reused by the reform; the unique key tells the eras apart.
        self.assertEqual(self._legacy_ward("00004").name, "Phường Trúc Bạch")

    def test_mapping_examples(self):
        convert = self.env["psa.admin.unit"]._convert_legacy_address
        examples = [
            ("Phúc Xá", "Ba Đình", "Phường Hồng Hà"),
            ("Phường Trúc Bạch", "Quận Ba Đình", "Phường Ba Đình"),
            ("Phường Vĩnh Phúc", "Quận Ba Đình", "Phường Ngọc Hà"),
            ("Hàng Bạc", "Hoàn Kiếm", "Phường Hoàn Kiếm"),
            ("Hàng Bài", "Hoàn Kiếm", "Phường Cửa Nam"),
            ("Văn Chương", "Đống Đa", "Phường Văn Miếu - Quốc Tử Giám"),
            ("Thị trấn Chúc Sơn", "Huyện Chương Mỹ", "Phường Chương Mỹ"),
            ("Quang Trung", "Đống Đa", "Phường Đống Đa"),
            ("Quang Trung", "Hà Đông", "Phường Hà Đông"),
        ]
        for ward, district, expected in examples:
            with self.subTest(ward=ward, district=district):
                self.assertEqual(convert(ward, district).name, expected)

    def test_convert_accepts_codes_accents_case(self):
        convert = self.env["psa.admin.unit"]._convert_legacy_address
        hong_ha = self._ward("00097")
        for ward, district in [
            ("Phường Phúc Xá", "Quận Ba Đình"),
            ("phuc xa", "ba dinh"),
            ("PHƯỜNG PHÚC XÁ", "quận ba đình"),
            ("  Phúc   Xá ", None),
            ("00001", "001"),
            ("1", "1"),
            (1, None),
        ]:
            with self.subTest(ward=ward, district=district):
                self.assertEqual(convert(ward, district), hong_ha)
        # "Phương Mai" is a name, not the type "Phường" followed by "Mai".
        self.assertEqual(convert("Phương Mai", "Đống Đa").name, "Phường Kim Liên")
        # The same name in two districts needs the district.
        self.assertFalse(convert("Quang Trung"))
        self.assertFalse(convert("Phúc Xá", "Hoàn Kiếm"))
        self.assertFalse(convert("Nowhere", "Ba Đình"))
        self.assertFalse(convert("Phúc Xá", "Nowhere"))
        self.assertFalse(convert("", None))

    def test_name_search_and_display_name(self):
        Unit = self.env["psa.admin.unit"]
        phuc_xa = self._legacy_ward("00001")
        self.assertEqual(phuc_xa.display_name, "Phường Phúc Xá (Quận Ba Đình)")
        self.assertEqual(self._ward("00070").display_name, "Phường Hoàn Kiếm")
        legacy_domain = [("level", "=", "ward"), ("is_legacy", "=", True)]
        for typed in ("phuc xa", "Phúc Xá", "Phường Phúc Xá"):
            with self.subTest(typed=typed):
                found = Unit.name_search(typed, legacy_domain)
                self.assertIn(phuc_xa.id, [unit_id for unit_id, _name in found])
        found = Unit.name_search("00070", [("is_legacy", "=", False)])
        self.assertEqual([unit_id for unit_id, _name in found], [self._ward("00070").id])
        self.assertIn(self._ward("00070"), Unit.search([("display_name", "ilike", "hoan kiem")]))
        # Exact look-ups (imports) stay exact: not Quận Ba Đình.
        found = Unit.name_search("Phường Ba Đình", operator="=")
        self.assertEqual([unit_id for unit_id, _name in found], [self._ward("00004").id])

    # ------------------------------------------------------------------
    # Partners
    # ------------------------------------------------------------------

    def test_partner_former_ward_converts(self):
        Partner = self.env["res.partner"]
        partner = Partner.create(
            {"name": "Citizen", "legacy_ward_id": self._legacy_ward("00001").id}
        )
        self.assertEqual(partner.ward_id, self._ward("00097"))
        # Another former ward moves the new one along.
        partner.legacy_ward_id = self._legacy_ward("00061")  # Phường Hàng Bạc
        self.assertEqual(partner.ward_id, self._ward("00070"))
        # The new ward stays editable (e.g. for a former ward split between several).
        partner.ward_id = self._ward("00073")
        self.assertEqual(partner.ward_id, self._ward("00073"))
        # A ward given directly wins, and partners without a former ward keep theirs.
        other = Partner.create(
            [
                {"name": "Direct", "ward_id": self._ward("00004").id},
                {
                    "name": "Both",
                    "ward_id": self._ward("00004").id,
                    "legacy_ward_id": self._legacy_ward("00001").id,
                },
            ]
        )
        self.assertEqual(other.ward_id, self._ward("00004"))
        other[0].name = "Direct, renamed"
        self.assertEqual(other[0].ward_id, self._ward("00004"))

    def test_partner_form_onchange(self):
        with Form(self.env["res.partner"]) as form:
            form.name = "Citizen typed the old way"
            form.legacy_ward_id = self._legacy_ward("00001")
            self.assertEqual(form.ward_id, self._ward("00097"))
        self.assertEqual(form.record.ward_id, self._ward("00097"))

    # ------------------------------------------------------------------
    # Loading
    # ------------------------------------------------------------------

    def test_reload_is_idempotent(self):
        before = self._counts()
        self.assertEqual(
            before,
            {
                ("province", False): 1,
                ("district", True): 30,
                ("ward", False): 126,
                ("ward", True): 526,
            },
        )
        hoan_kiem = self._ward("00070")
        phuc_xa = self._legacy_ward("00001")
        # A unit edited by hand, a lost successor and a lost XML id are all repaired.
        hoan_kiem.name = "Renamed"
        phuc_xa.successor_id = False
        self.env["ir.model.data"].search(
            [("module", "=", "public_service_agent"), ("name", "=", "psa_admin_unit_ward_00070")]
        ).unlink()
        self.env.registry.clear_cache()
        self.Unit._load_hanoi_units()
        self.Unit._load_hanoi_units()
        self.assertEqual(self._counts(), before)
        self.assertEqual(self._ward("00070"), hoan_kiem)
        self.assertEqual(hoan_kiem.name, "Phường Hoàn Kiếm")
        self.assertEqual(phuc_xa.successor_id, self._ward("00097"))

    @mute_logger("odoo.sql_db")
    def test_unique_level_code_per_era(self):
        # Every code of 2025 was reused from a former ward (00004: Trúc Bạch, now Ba Đình),
        # so both eras hold each code once.
        self.assertNotEqual(self._ward("00004").name, self._legacy_ward("00004").name)
        for is_legacy in (False, True):
            with self.subTest(is_legacy=is_legacy):
                with self.assertRaises(IntegrityError), self.env.cr.savepoint():
                    self.Unit.create(
                        {"name": "Dup", "code": "00070", "level": "ward", "is_legacy": is_legacy}
                    )

    # ------------------------------------------------------------------
    # Access rights
    # ------------------------------------------------------------------

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_access_rights(self):
        ward = self._ward("00070")
        public = self.env.ref("base.public_user")
        for user in (self.officer, self.staff_a, self.portal_user, public):
            with self.subTest(user=user.login):
                Unit = self.env["psa.admin.unit"].with_user(user)
                self.assertEqual(
                    Unit.search_count([("level", "=", "ward"), ("is_legacy", "=", False)]), 126
                )
                self.assertEqual(ward.with_user(user).name, "Phường Hoàn Kiếm")
                with self.assertRaises(AccessError):
                    ward.with_user(user).write({"name": "Hacked"})
                with self.assertRaises(AccessError):
                    Unit.create({"name": "X", "code": "99998", "level": "ward"})
                with self.assertRaises(AccessError):
                    ward.with_user(user).unlink()
        # Center administrators maintain the units.
        unit = (
            self.env["psa.admin.unit"]
            .with_user(self.admin_user)
            .create(
                {"name": "Xã Mới", "code": "99997", "level": "ward", "parent_id": self.hanoi.id}
            )
        )
        unit.write({"name": "Xã Mới Hơn"})
        self.assertEqual(unit.search_key, "moi hon")
        unit.unlink()
