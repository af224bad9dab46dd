import csv
import re
import unicodedata
from pathlib import Path

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

# Legacy Hanoi units and their successors, generated offline from `vietnamadminunits`
# (see data/admin_units/README.md).
LEGACY_DATA_DIR = Path(__file__).parent.parent / "data" / "admin_units"
HANOI_PROVINCE_CODE = 1

# Type words that lead a unit's name, once accents are removed.
_PREFIX_RE = re.compile(r"^(?:thanh pho|thi tran|thi xa|phuong|quan|huyen|xa|tinh)\s+")


def normalize_unit_name(name):
    """Accent-, case- and type-insensitive key of a unit name: "Phường Phúc Xá" -> "phuc xa"."""
    return _PREFIX_RE.sub("", _fold(name))


def unit_name_keys(value):
    """Keys a typed name may match: with and without a leading type word, since "Phương Mai"
    is the name of Phường Phương Mai, while "Phường Phúc Xá" has the type in front."""
    folded = _fold(value)
    return [key for key in dict.fromkeys((folded, _PREFIX_RE.sub("", folded))) if key]


def _fold(name):
    name = unicodedata.normalize("NFD", (name or "").replace("đ", "d").replace("Đ", "D"))
    name = "".join(c for c in name if not unicodedata.combining(c)).lower()
    return " ".join(name.replace("-", " ").split())


class PsaAdminUnit(models.Model):
    _name = "psa.admin.unit"
    _description = "Administrative Unit"
    _order = "level, name"
    _parent_store = True
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, index="trigram")
    code = fields.Char(
        index=True, help="Official code from the national statistics list, e.g. 00070."
    )
    level = fields.Selection(
        [("province", "Province"), ("district", "District"), ("ward", "Ward / Commune")],
        required=True,
        index=True,
    )
    division_type = fields.Selection(
        [
            ("city", "Centrally-run City"),
            ("province", "Province"),
            ("urban_district", "Urban District"),
            ("rural_district", "Rural District"),
            ("town", "Town"),
            ("ward", "Ward"),
            ("commune", "Commune"),
            ("township", "Township"),
            ("special_zone", "Special Zone"),
        ],
        string="Type",
    )
    parent_id = fields.Many2one("psa.admin.unit", index=True, ondelete="restrict")
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("psa.admin.unit", "parent_id", string="Subdivisions")
    active = fields.Boolean(default=True)
    is_legacy = fields.Boolean(
        string="Former Unit",
        default=False,
        index=True,
        help="A unit abolished on 1 July 2025, when Hanoi's districts were dissolved and its "
        "wards and communes merged. Addresses must use the new units.",
    )
    successor_id = fields.Many2one(
        "psa.admin.unit",
        string="New Ward / Commune",
        domain=[("level", "=", "ward"), ("is_legacy", "=", False)],
        ondelete="set null",
        index="btree_not_null",
        help="The new unit an address in this former ward or commune converts to.",
    )
    successor_ids = fields.Many2many(
        "psa.admin.unit",
        "psa_admin_unit_successor_rel",
        "legacy_id",
        "new_id",
        string="Merged Into",
        domain=[("level", "=", "ward"), ("is_legacy", "=", False)],
        help="Every new unit that took over part of this former ward or commune.",
    )
    predecessor_ids = fields.Many2many(
        "psa.admin.unit",
        "psa_admin_unit_successor_rel",
        "new_id",
        "legacy_id",
        string="Formed From",
        help="The former wards and communes merged, wholly or in part, into this unit.",
    )
    is_split = fields.Boolean(
        string="Split",
        compute="_compute_is_split",
        help="Parts of this former unit went to several new units: check the new ward.",
    )
    # Stored so that name look-ups are accent-insensitive in SQL, without the unaccent extension.
    search_key = fields.Char(compute="_compute_search_key", store=True, index=True)

    _sql_constraints = [
        # Per level and era: the statistics office gave old codes to new units (00004 was
        # Phường Trúc Bạch, it is now Phường Ba Đình).
        (
            "level_code_uniq",
            "unique(level, code, is_legacy)",
            "An administrative unit with this level and code already exists.",
        ),
    ]

    @api.depends("name")
    def _compute_search_key(self):
        for unit in self:
            unit.search_key = normalize_unit_name(unit.name)

    @api.depends("successor_ids")
    def _compute_is_split(self):
        for unit in self:
            unit.is_split = len(unit.successor_ids) > 1

    @api.depends("name", "is_legacy", "level", "parent_id.name")
    def _compute_display_name(self):
        # Former ward names repeat across districts: show the district to tell them apart.
        for unit in self:
            if unit.is_legacy and unit.level == "ward" and unit.parent_id:
                unit.display_name = f"{unit.name} ({unit.parent_id.name})"
            else:
                unit.display_name = unit.name

    @api.model
    def _search_display_name(self, operator, value):
        domain = super()._search_display_name(operator, value)
        # Also match "phuc xa" or "Phúc Xá" against "Phường Phúc Xá". Only for substring
        # search: exact look-ups (imports) must not confuse Phường and Quận Ba Đình.
        if operator == "ilike" and isinstance(value, str):
            keys = unit_name_keys(value)
            domain = expression.OR([domain, *([("search_key", "ilike", key)] for key in keys)])
        return domain

    # ------------------------------------------------------------------
    # Conversion of addresses typed the old way
    # ------------------------------------------------------------------

    @api.model
    def _find_units(self, name_or_code, level, is_legacy, parent=None):
        """Units of ``level`` matching a code ("1", "00001") or a name, accents ignored."""
        value = str(name_or_code or "").strip()
        if not value:
            return self.browse()
        domain = [("level", "=", level), ("is_legacy", "=", is_legacy)]
        if value.isdigit():
            width = {"province": 2, "district": 3, "ward": 5}[level]
            domain.append(("code", "=", value.zfill(width)))
        else:
            keys = unit_name_keys(value)
            domain.append(("search_key", "in", keys))
        if parent:
            domain.append(("parent_id", "in", parent.ids))
        units = self.with_context(active_test=False).search(domain)
        if len(units) > 1 and not value.isdigit():
            # "Phương Mai" means Phường Phương Mai rather than a unit named "Mai".
            units = units.filtered(lambda u: u.search_key == keys[0]) or units
        return units

    @api.model
    def _convert_legacy_address(self, ward, district=None):
        """New ward or commune of an address written before 1 July 2025.

        :param ward: former ward or commune, by name ("Phường Phúc Xá", "phuc xa") or code
        :param district: its former district, by name or code; needed when the ward's name
            exists in several districts
        :return: the new unit (``successor_id``), or an empty recordset when the former ward
            is unknown or ambiguous
        """
        districts = None
        if district:
            districts = self._find_units(district, "district", True)
            if not districts:
                return self.browse()
        legacy = self._find_units(ward, "ward", True, parent=districts)
        if len(legacy) != 1:
            return self.browse()
        return legacy.successor_id

    # ------------------------------------------------------------------
    # Loading (called from data/psa_admin_unit_data.xml at install and update)
    # ------------------------------------------------------------------

    @api.model
    def _load_hanoi_units(self):
        """Create or update Hanoi's units; safe to run any number of times.

        The 126 units of 2025 come from the `vietnam_provinces` package (the external
        dependency of this module); the 30 former districts, their 526 wards and the successor
        mapping from the CSV files of data/admin_units/.
        """
        # Imported here: its 390 kB lookup table is only needed while loading.
        from vietnam_provinces import Province, ProvinceCode, VietNamDivisionType, Ward

        types = {
            VietNamDivisionType.THANH_PHO_TRUNG_UONG: "city",
            VietNamDivisionType.TINH: "province",
            VietNamDivisionType.PHUONG: "ward",
            VietNamDivisionType.XA: "commune",
            VietNamDivisionType.DAC_KHU: "special_zone",
        }
        province_code = ProvinceCode(HANOI_PROVINCE_CODE)
        province = Province.from_code(province_code)
        existing = self._existing_units()
        hanoi = self._sync_units(
            [
                (
                    f"psa_admin_unit_province_{int(province.code):02d}",
                    {
                        "name": province.name,
                        "code": f"{int(province.code):02d}",
                        "level": "province",
                        "division_type": types[province.division_type],
                    },
                )
            ],
            existing,
        )
        new_wards = self._sync_units(
            [
                (
                    f"psa_admin_unit_ward_{int(ward.code):05d}",
                    {
                        "name": ward.name,
                        "code": f"{int(ward.code):05d}",
                        "level": "ward",
                        "division_type": types[ward.division_type],
                        "parent_id": hanoi.id,
                    },
                )
                for ward in sorted(Ward.iter_by_province(province_code), key=lambda w: w.code)
            ],
            existing,
        )
        districts = self._sync_units(
            [
                (
                    f"psa_admin_unit_legacy_district_{row['code']}",
                    {
                        "name": row["name"],
                        "code": row["code"],
                        "level": "district",
                        "division_type": row["division_type"],
                        "is_legacy": True,
                        "parent_id": hanoi.id,
                    },
                )
                for row in self._read_legacy_csv("hanoi_legacy_districts.csv")
            ],
            existing,
        )
        district_ids = dict(zip(districts.mapped("code"), districts.ids))
        new_ids = dict(zip(new_wards.mapped("code"), new_wards.ids))
        rows = self._read_legacy_csv("hanoi_legacy_wards.csv")
        unknown = {
            code for row in rows for code in row["successor_codes"].split() if code not in new_ids
        }
        if unknown:
            # The CSV and the installed `vietnam_provinces` disagree: regenerate the CSV.
            raise UserError(
                self.env._(
                    "The mapping of former wards refers to unknown new units %(codes)s: "
                    "check the installed version of vietnam-provinces.",
                    codes=", ".join(sorted(unknown)),
                )
            )
        self._sync_units(
            [
                (
                    f"psa_admin_unit_legacy_ward_{row['code']}",
                    {
                        "name": row["name"],
                        "code": row["code"],
                        "level": "ward",
                        "division_type": row["division_type"],
                        "is_legacy": True,
                        "parent_id": district_ids[row["district_code"]],
                        "successor_id": new_ids[row["successor_code"]],
                        "successor_ids": [
                            Command.set([new_ids[c] for c in row["successor_codes"].split()])
                        ],
                    },
                )
                for row in rows
            ],
            existing,
        )
        return True

    @api.model
    def _read_legacy_csv(self, filename):
        with open(LEGACY_DATA_DIR / filename, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    @api.model
    def _existing_units(self):
        """Units already in the database, by their natural key (level, era, code)."""
        units = self.with_context(active_test=False).search([("code", "!=", False)])
        return {(u.level, u.is_legacy, u.code): u for u in units}

    @api.model
    def _sync_units(self, rows, existing):
        """Create the missing units in one batch, update the changed ones, and (re)attach
        their XML ids so that demo data and other modules can refer to them.

        Units are matched by (level, era, code) rather than by XML id, so a unit created by
        hand or whose XML id was lost is adopted instead of duplicated.

        :param rows: list of (XML id name, values)
        :return: the units of ``rows``, in order
        """
        to_create, units = [], []
        for _xmlid, vals in rows:
            unit = existing.get((vals["level"], vals.get("is_legacy", False), vals["code"]))
            units.append(unit)
            if unit is None:
                to_create.append(vals)
            else:
                changed = {
                    fname: value
                    for fname, value in vals.items()
                    if self._unit_value(unit, fname) != self._unit_value(value, fname)
                }
                if changed:
                    unit.write(changed)
        created = iter(self.create(to_create))
        units = [unit if unit is not None else next(created) for unit in units]
        for unit in units:
            existing[(unit.level, unit.is_legacy, unit.code)] = unit
        # noupdate: the loader keeps the units in sync itself; module updates must never
        # delete units that addresses point to.
        self.env["ir.model.data"].sudo()._update_xmlids(
            [
                {"xml_id": f"public_service_agent.{xmlid}", "record": unit, "noupdate": True}
                for (xmlid, _vals), unit in zip(rows, units)
            ]
        )
        return self.browse([unit.id for unit in units])

    @api.model
    def _unit_value(self, unit_or_value, fname):
        """Comparable form of a field value, read from a unit or taken from create values."""
        field = self._fields[fname]
        if isinstance(unit_or_value, models.BaseModel):
            value = unit_or_value[fname]
            if field.type == "many2one":
                return value.id
            if field.type == "many2many":
                return set(value.ids)
            return value
        if field.type == "many2many":
            # [Command.set(ids)]
            return set(unit_or_value[0][2])
        return unit_or_value
