from .center_language import CENTER_LANG, center_env, center_language
