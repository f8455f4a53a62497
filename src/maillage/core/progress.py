"""A progress bar for the commands that take a while (the demo's first run, `seed`): one line
redrawn in a terminal; one line per step where the output is a file or a pipe (CI, logs)."""

import time

from django.core.management.base import OutputWrapper

WIDTH = 24


class ProgressBar:
    def __init__(self, out: OutputWrapper):
        self.out = out
        self.redraw = out.isatty()
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int, label: str, counts: dict[str, int]) -> None:
        filled = WIDTH * done // total
        bar = "█" * filled + "░" * (WIDTH - filled)
        elapsed = time.perf_counter() - self.started
        if done < total:
            line = f"  {bar} {done + 1}/{total} {label}…"
        else:
            line = f"  {bar} {total}/{total} terminé en {elapsed:.0f} s."
        if self.redraw:  # the same line, drawn again; the last one stays
            self.out.write(f"\r\033[K{line}", ending="\n" if done == total else "")
        else:
            self.out.write(line)
        self.out.flush()


def summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {label}" for label, n in counts.items())
