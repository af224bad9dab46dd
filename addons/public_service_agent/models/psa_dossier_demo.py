from datetime import datetime, time, timedelta

import pytz

from odoo import api, models


class PsaDossier(models.Model):
    """Demo-only helper, kept out of ``psa_dossier.py``: give demo dossiers a believable past.

    Demo data is loaded in one transaction, so the stage moves of a dossier created there
    leave no tracking (Odoo tracks only records that existed before the transaction) and
    every date is the install moment. This replays the history at working-day offsets
    before today, with the people who did each step.
    """

    # Demo history only: kept apart from the model on purpose.
    _inherit = "psa.dossier"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _demo_set_history(self, xmlid, received_days_ago, steps, officer_xmlid):
        """``steps``: ``[(status_code, working_days_after_receipt), ...]`` as walked.

        The dossier is filed at the counter by its agent staff (or the officer for the
        contact centre), received by the officer at the Center ``received_days_ago``
        working days before today, and each later step happens on its offset at 14:30.
        """
        dossier = self.env.ref(xmlid).sudo()
        officer = self.env.ref(officer_xmlid)
        filer = dossier.staff_user_id or officer
        calendar = self._center_calendar()
        tz = pytz.timezone(self.env["psa.dossier"]._center_tz())
        # The Center's day: the install runs as a UTC user, a day behind Hanoi before 07:00.
        today = self._center_today()

        def working_day(start, offset):
            day, step = start, (1 if offset >= 0 else -1)
            remaining = abs(offset)
            while remaining:
                day += timedelta(days=step)
                start_of_day = tz.localize(datetime.combine(day, time.min))
                # Working intervals net of public holidays.
                if calendar._work_intervals_batch(start_of_day, start_of_day + timedelta(days=1))[
                    False
                ]:
                    remaining -= 1
            return day

        def at(day, hour, minute=0):
            local = tz.localize(datetime.combine(day, time(hour, minute)))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        receipt_day = working_day(today, -received_days_ago)
        filed = at(receipt_day, 8, 40)
        # The code carries the filing day (``<agency>-<yymmdd>-<number>``).
        name = dossier.name
        if receipt_day != today:
            number = self.env["psa.dossier.sequence"]._reserve(dossier.agency_code, receipt_day)
            name = f"{dossier.agency_code}-{receipt_day:%y%m%d}-{number:04d}"
        self.env.cr.execute(
            "UPDATE psa_dossier SET create_uid = %s, create_date = %s, name = %s WHERE id = %s",
            (filer.id, filed, name, dossier.id),
        )
        dossier.invalidate_recordset(["name", "create_uid", "create_date"])
        dossier.message_ids.filtered(lambda m: not m.tracking_value_ids).sudo().write(
            {"author_id": filer.partner_id.id, "date": filed}
        )
        # Moves other modules' demo data tracked at install time are replaced by the replay.
        dossier.message_ids.filtered(
            lambda m: "stage_id" in m.tracking_value_ids.field_id.mapped("name")
        ).sudo().unlink()
        vals = {}
        stages = {s.status_code: s for s in self.env["psa.dossier.stage"].search([])}
        previous = stages[1]
        field_info = dossier.fields_get(["stage_id"], attributes=("string", "type"))["stage_id"]
        Tracking = self.env["mail.tracking.value"].sudo()
        for code, offset in steps:
            moment = at(working_day(receipt_day, offset), 9 if code == 2 else 14, 30)
            author = filer if code == 10 and dossier.return_method == "agent" else officer
            message = dossier._message_log(
                body="", author_id=author.partner_id.id, message_type="notification"
            )
            message.write({"date": moment})
            Tracking.create(
                {
                    **Tracking._create_tracking_values(
                        previous, stages[code], "stage_id", field_info, dossier
                    ),
                    "mail_message_id": message.id,
                }
            )
            previous = stages[code]
            if code == 2:
                vals.update(date_received=moment, **dossier._deadline_vals(moment))
            elif code == 5:
                vals["date_paused"] = moment
            elif code == 9:
                vals.update(
                    date_done=moment,
                    processing_days=dossier._working_days_between(vals["date_received"], moment),
                    is_on_time=moment <= vals["date_due"],
                )
            elif code == 10:
                vals["date_returned"] = moment
        if vals:
            dossier.with_context(psa_skip_checks=True).write(vals)
