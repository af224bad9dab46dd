def post_init_hook(env):
    """Agents that existed before this module get their (unticked) launch checklist."""
    env["psa.agent"].with_context(active_test=False).search([])._training_ensure_launch_checks()
