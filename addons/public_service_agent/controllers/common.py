"""Helpers shared by every public page of the suite (dossier tracking, certificate check,
contact form, alert settings, postal tracking) and the agent portal.

One language rule, one set of cache and robots headers, one client hash and one masking
rule, so that the pages cannot drift apart.
"""

import hashlib

from odoo.http import request

from ..models.psa_personal_data_log import mask_holder_name, mask_name

PUBLIC_LANG = "vi_VN"
PUBLIC_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


def mask_citizen_name(name):
    """'Nguyễn Văn An' -> 'Nguyễn V. A.': the family name, then initials only."""
    return mask_name(name)


def mask_certificate_holder(name):
    """'Trần Minh Quân' -> 'T*** M*** Quân' (the public certificate check)."""
    return mask_holder_name(name)


def set_public_lang(asked=None, public_only=False):
    """Public pages read Vietnamese unless another installed language is asked (``?lang=``).

    The language cookie is not followed: Odoo sets it to the database default on the
    first visit. ``public_only`` leaves a logged-in user's own language alone.
    """
    if public_only and not request.env.user._is_public():
        return
    installed = {code for code, _name in request.env["res.lang"].get_installed()}
    for lang in (asked, PUBLIC_LANG):
        if lang and lang in installed:
            request.update_context(lang=lang)
            return


def public_headers(response, headers=None):
    """Never cached, never indexed, no referrer: the pages carry codes and tokens."""
    response.headers.update({**PUBLIC_HEADERS, **(headers or {})})
    return response


def public_render(template, values, status=200, headers=None):
    return public_headers(request.render(template, values, status=status), headers)


def client_hash(length=40):
    """The caller's address, hashed: rate limits tell clients apart without keeping IPs."""
    address = request.httprequest.remote_addr or ""
    return hashlib.sha256(address.encode()).hexdigest()[:length]


def center_tz(env):
    """Time zone of the Center's calendar: every date shown is local to Hanoi."""
    return env["psa.dossier"].sudo()._center_tz()


def status_timeline(dossier_sudo):
    """The statuses a dossier went through (see ``psa.dossier._psa_status_timeline``)."""
    return dossier_sudo._psa_status_timeline()
