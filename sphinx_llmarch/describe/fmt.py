"""Number formatting shared by diagrams, tables, roles and the CLI."""

from __future__ import annotations

from math import gcd

_SCALES = ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "K"))


def params(n: int | None) -> str:
    """``671026419200`` → ``'671B'``; three significant digits, unit suffix."""
    if n is None:
        return "unknown"
    for scale, suffix in _SCALES:
        if n >= scale:
            return _sig3(n / scale) + suffix
    return str(n)


def _sig3(x: float) -> str:
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}".removesuffix(".0")
    return f"{x:.2f}".rstrip("0").rstrip(".")


def count(n: int | None) -> str:
    """``129280`` → ``'129,280'``."""
    return "unknown" if n is None else f"{n:,}"


def bytes_iec(n: int | None) -> str:
    """``70272`` → ``'68.6 KiB'``; binary units, as KV cache sizes are usually quoted."""
    if n is None:
        return "unknown"
    if n == 0:
        return "0 B"
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            break
        value /= 1024
    if unit == "B":
        return f"{n} B"
    return f"{_sig3(value)} {unit}"


def percent(x: float) -> str:
    return f"{x * 100:.1f}%"


def tokens(n: int | None) -> str:
    """Context lengths: ``131072`` → ``'131,072'``."""
    return count(n)


def ratio(a: int, b: int) -> str:
    """``ratio(45, 15)`` → ``'3:1'`` when it divides evenly, else ``'45:15'``."""
    g = gcd(a, b) or 1
    return f"{a // g}:{b // g}"
