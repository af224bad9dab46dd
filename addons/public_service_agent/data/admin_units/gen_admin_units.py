"""Regenerate the legacy Hanoi units and their successor mapping (see README.md).

Offline tool, not imported by Odoo. It needs the PyPI packages ``vietnamadminunits==1.0.4``
(legacy table and converter) and ``vietnam-provinces==2025.10.1`` (official codes of the new
units, the ones the module loads at install time)::

    python3 -m venv /tmp/vau
    /tmp/vau/bin/pip install vietnamadminunits==1.0.4 vietnam-provinces==2025.10.1
    /tmp/vau/bin/python gen_admin_units.py
"""

import csv
import json
import sqlite3
import sys
import unicodedata
from pathlib import Path

import vietnamadminunits
from vietnam_provinces import ProvinceCode, Ward
from vietnamadminunits import convert_address

HERE = Path(__file__).parent
VAU_DATA = Path(vietnamadminunits.__file__).parent / "data"
HANOI = "01"
HANOI_KEY = "thanhphohanoi"
DISTRICT_TYPES = {"Quận": "urban_district", "Huyện": "rural_district", "Thị xã": "town"}
WARD_TYPES = {"Phường": "ward", "Xã": "commune", "Thị trấn": "township"}


def normalize(name):
    name = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in name if not unicodedata.combining(c)).lower().split())


def rows(db, sql):
    db.row_factory = sqlite3.Row
    return [dict(r) for r in db.execute(sql, (HANOI,))]


def main():
    db = sqlite3.connect(VAU_DATA / "dataset.db")
    legacy = rows(
        db,
        "SELECT * FROM admin_units_legacy WHERE provinceCode = ? ORDER BY districtCode, wardCode",
    )
    # vietnamadminunits numbers 29 new Hanoi units differently from vietnam-provinces (the
    # national statistics codes): go through the name, which both packages spell the same.
    official = {normalize(w.name): w for w in Ward.iter_by_province(ProvinceCode(int(HANOI)))}
    new_by_key = {
        r["wardKey"]: official[normalize(r["ward"])]
        for r in rows(db, "SELECT ward, wardKey FROM admin_units WHERE provinceCode = ?")
    }
    conv = json.loads((VAU_DATA / "converter_2025.json").read_text())
    whole = {
        old: new_by_key[new]
        for new, olds in conv["DICT_PROVINCE_WARD_NO_DIVIDED"][HANOI_KEY].items()
        for old in olds
    }
    split = conv["DICT_PROVINCE_WARD_DIVIDED"][HANOI_KEY]

    districts, wards, mismatches = {}, [], []
    for r in legacy:
        districts[r["districtCode"]] = (r["district"], DISTRICT_TYPES[r["districtType"]])
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"
        if key in whole:
            successors = [whole[key]]
        else:
            # The default new unit first: the one convert_address() picks without a street.
            parts = sorted(split[key], key=lambda p: not p["isDefaultNewWard"])
            successors = [new_by_key[p["newWardKey"]] for p in parts]
        converted = convert_address(f"{r['ward']}, {r['district']}, {r['province']}")
        if normalize(converted.ward or "") != normalize(successors[0].name):
            mismatches.append((r["ward"], r["district"], converted.ward, successors[0].name))
        wards.append(
            {
                "code": r["wardCode"],
                "name": r["ward"],
                "division_type": WARD_TYPES[r["wardType"]],
                "district_code": r["districtCode"],
                "successor_code": f"{int(successors[0].code):05d}",
                "successor_codes": " ".join(f"{int(s.code):05d}" for s in successors),
                "successor_name": successors[0].name,
            }
        )
    if mismatches:
        sys.exit(f"convert_address() disagrees with the mapping: {mismatches}")

    with open(HERE / "hanoi_legacy_districts.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["code", "name", "division_type"])
        writer.writerows((code, *districts[code]) for code in sorted(districts))
    with open(HERE / "hanoi_legacy_wards.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(wards[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(wards)
    sys.stdout.write(f"{len(districts)} districts, {len(wards)} wards written to {HERE}\n")


if __name__ == "__main__":
    main()
