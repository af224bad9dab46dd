"""The language the Center writes in when no person is acting.

Crons run as OdooBot and the job runner replays the enqueuer's context: both have no language
(or English), so what they store (chatter, tracking values, signal details, delivery errors) would
stay in English for Vietnamese readers. Every cron and job entry point runs under this decorator.
"""

import functools

# The Center works in Vietnamese; English where the language is not installed.
CENTER_LANG = "vi_VN"


def center_lang(env):
    """``vi_VN`` where it is installed, else the company's language, else English."""
    if env["res.lang"]._get_data(code=CENTER_LANG).id:
        return CENTER_LANG
    return env.company.partner_id.lang or "en_US"


def center_env(env):
    """``env`` in the Center's language: for system text a user's action stores (job names)."""
    lang = center_lang(env)
    return env if env.context.get("lang") == lang else env(context=dict(env.context, lang=lang))


def center_language(method):
    """Run a cron or job method with the Center's language in its context."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        lang = center_lang(self.env)
        if self.env.context.get("lang") != lang:
            self = self.with_context(lang=lang)
        return method(self, *args, **kwargs)

    return wrapper
