"""Peak-memory readings shared by the benchmarks (Linux /proc; None elsewhere)."""

from __future__ import annotations


def status_kib(field_name: str, pid: int | str = "self") -> int | None:
    """A /proc/PID/status field in KiB (VmHWM, VmRSS...), or None where /proc is missing."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_hwm() -> bool:
    """Reset this process's peak RSS (VmHWM) so the next phase measures its own peak."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return status_kib("VmHWM") is not None
