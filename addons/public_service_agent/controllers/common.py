"""Helpers shared by the agent portal and the public pages."""

import unicodedata

DEFAULT_TZ = "Asia/Ho_Chi_Minh"


def mask_citizen_name(name):
    """'Nguyễn Văn An' -> 'Nguyễn V. A.': the family name, then initials only."""
    words = unicodedata.normalize("NFC", name or "").split()
    if not words:
        return ""
    if len(words) == 1:
        return f"{words[0][0]}."
    return " ".join([words[0], *(f"{word[0]}." for word in words[1:])])


def center_tz(env):
    """Time zone of the Center's calendar: every date shown is local to Hanoi."""
    calendar = env["psa.dossier"].sudo()._center_calendar()
    return calendar.tz or DEFAULT_TZ


def status_timeline(dossier_sudo):
    """The statuses a dossier went through, oldest first, from its tracked stage changes.

    Returns plain dicts (``date``, ``name``, ``code``, ``current``) so that public
    templates never hold the record itself. ``dossier_sudo`` must already have
    passed the caller's access check (portal rule or code + phone digits).
    """
    dossier_sudo.ensure_one()
    env = dossier_sudo.env
    field = env["ir.model.fields"]._get("psa.dossier", "stage_id")
    trackings = (
        env["mail.tracking.value"]
        .sudo()
        .search(
            [
                ("field_id", "=", field.id),
                ("mail_message_id.model", "=", "psa.dossier"),
                ("mail_message_id.res_id", "=", dossier_sudo.id),
            ],
            order="id",
        )
    )
    Stage = env["psa.dossier.stage"].sudo()
    stage_ids = {t.new_value_integer for t in trackings} | {t.old_value_integer for t in trackings}
    stages = {stage.id: stage for stage in Stage.browse(list(stage_ids - {0})).exists()}

    def entry(date, stage_id, fallback):
        stage = stages.get(stage_id)
        return {
            "date": date,
            "name": stage.name if stage else (fallback or ""),
            "code": stage.status_code if stage else 0,
            "current": False,
        }

    if trackings:
        first = trackings[0]
        entries = [entry(dossier_sudo.create_date, first.old_value_integer, first.old_value_char)]
        entries += [
            entry(t.mail_message_id.date, t.new_value_integer, t.new_value_char) for t in trackings
        ]
    else:
        stage = dossier_sudo.stage_id
        entries = [
            {
                "date": dossier_sudo.create_date,
                "name": stage.name,
                "code": stage.status_code,
                "current": False,
            }
        ]
    entries[-1]["current"] = True
    return entries
