"""Merge Odoo translation files entry by entry: one entry per (msgctxt, msgid), the first
non-empty msgstr wins, occurrences are merged.

  python tools/po_merge.py OUT IN1 [IN2 ...]        inputs in priority order
  python tools/po_merge.py --merge BASE OURS THEIRS  as a git merge driver (writes OURS)

Git keeps two branches' new terms without conflict markers once a clone defines the driver:
  git config merge.pounion.driver ".venv/bin/python tools/po_merge.py --merge %O %A %B"
"""

import sys

import polib


def load(path):
    try:
        return polib.pofile(path, check_for_duplicates=False, wrapwidth=78)
    except Exception:
        return polib.pofile(
            open(path, encoding="utf-8").read(), check_for_duplicates=False, wrapwidth=78
        )


def union(out, inputs):
    files = [load(p) for p in inputs]
    result = polib.POFile(wrapwidth=78)
    result.metadata = files[0].metadata
    result.header = files[0].header
    index = {}
    for po in files:
        for e in po:
            if e.obsolete:
                continue
            key = (e.msgctxt, e.msgid)
            if key not in index:
                new = polib.POEntry(
                    msgid=e.msgid,
                    msgstr=e.msgstr,
                    msgctxt=e.msgctxt,
                    occurrences=list(e.occurrences),
                    comment=e.comment,
                    tcomment=e.tcomment,
                    flags=list(e.flags),
                )
                index[key] = new
                result.append(new)
            else:
                cur = index[key]
                if not cur.msgstr and e.msgstr:
                    cur.msgstr = e.msgstr
                for occ in e.occurrences:
                    if occ not in cur.occurrences:
                        cur.occurrences.append(occ)
    result.save(out)


if __name__ == "__main__":
    if sys.argv[1] == "--merge":
        base, ours, theirs = sys.argv[2:5]
        union(ours, [theirs, ours])
    else:
        union(sys.argv[1], sys.argv[2:])
