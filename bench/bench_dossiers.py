#!/usr/bin/env python3
"""Dossier benchmarks of issue 3 ("Performance"), measured in one run on one machine.

Run from the repository root (the first run builds a cached template database):

    .venv/bin/python bench/bench_dossiers.py --rows 1000000

Parts (``--parts create,kanban,portal``, all by default):

1. ``create``: batch ``create()`` of psa.dossier versus OCA helpdesk.ticket with comparable
   fields, same database, same run, same user; records/s, median of 3, ratio dossiers/tickets,
   with mail tracking disabled and with it on (as the portal and the backend create).
2. ``kanban``: opening the dossier kanban as the web client does (``web_read_group`` by stage
   with the default "In Progress" filter, then ``web_search_read`` of the first 80 cards of each
   unfolded column) and the "Overdue" list (count + first 80), as a Center officer (record
   rules apply), at 10,000 and at 1,000,000 dossiers bulk-loaded with COPY. Also the raw
   PostgreSQL floor (the same counts and first-80 SELECTs in plain SQL), the query plans, and
   the same figures with the index predicates the ORM's SQL can use ("what-if" indexes created
   in the bench database only).
3. ``portal``: 1,000 dossiers created through the portal form (POST /my/dossiers/new) over
   HTTP by 4 parallel clients against ``odoo-bin --workers=2`` on 127.0.0.1. Skipped with
   "portal route not available" while the controller does not exist.

Database: ``psa_bench`` (dropped and re-created from the template ``psa_bench_tmpl_<key>`` at
each run; the key changes with the addon's code, so a new template is built when it changes).
Each part is its own script (``bench_dossier_create.py``, ``bench_dossier_reads.py``,
``bench_dossier_portal.py``); this one runs them in one process on one database, as before.
Output: a Markdown summary on stdout, progress on stderr, and JSON + Markdown + logs under
``bench/out/``. Every network connection goes to 127.0.0.1 only; the Odoo server started for
part 3 is stopped on exit.
"""

import argparse
import sys

import bench_dossier_create as create
import bench_dossier_portal as portal
import bench_dossier_reads as reads
from lib.dossiers import add_common_args, header_markdown, save_report, setup


def markdown(res, args):
    lines = header_markdown(
        res,
        " ".join(["bench/bench_dossiers.py", *sys.argv[1:]]),
        "## Dossiers (issue 3): creation, kanban at 10k vs 1M, portal",
    )
    if res.get("create"):
        lines += create.create_markdown(res["create"], res.get("reads", {}).get("copy"))
    if res.get("reads"):
        lines += reads.reads_markdown(res["reads"], args)
    if res.get("portal"):
        lines += portal.portal_markdown(res["portal"], args)
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    add_common_args(ap)
    ap.add_argument("--parts", default="create,kanban,portal")
    for part in (create, reads, portal):
        part.add_args(ap)
    args = ap.parse_args()
    parts = set(args.parts.split(","))
    assert args.small > args.open and args.rows > args.small, "need rows > small > open"
    registry, fx, res = setup(args)
    if "create" in parts:
        res["create"] = create.bench_create(registry, fx, args.create_n, args.repeats, args.profile)
    if "kanban" in parts:
        res["reads"] = reads.bench_reads(registry, fx, args.db, args)
    if "portal" in parts:
        res["portal"] = portal.bench_portal(fx, args.db, args)
    save_report("bench_dossiers", res, markdown(res, args))


if __name__ == "__main__":
    main()
