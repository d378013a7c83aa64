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


def tokens_short(n: int | None) -> str:
    """Context lengths as readers quote them: ``131072`` → ``'128k'``, ``1048576`` → ``'1M'``,
    ``200000`` → ``'200k'``; binary thousands where they divide evenly, else decimal."""
    if n is None:
        return "unknown"
    for base in (1024, 1000):
        if n % base == 0:
            for scale, suffix in ((base * base, "M"), (base, "k")):
                if n % scale == 0:
                    return f"{n // scale}{suffix}"
    return f"{_sig3(n / 1024)}k" if n >= 1024 else str(n)


def ratio(a: int, b: int) -> str:
    """``ratio(45, 15)`` → ``'3:1'`` when it divides evenly, else ``'45:15'``."""
    g = gcd(a, b) or 1
    return f"{a // g}:{b // g}"
