"""Number formats shared by the subsidy messages (kept out of translated calls)."""


def format_vnd(amount):
    """12345678 -> '12.345.678', the Vietnamese way of grouping digits."""
    return f"{amount or 0:,.0f}".replace(",", ".")


def format_percent(value):
    return f"{value or 0:.1f}"
