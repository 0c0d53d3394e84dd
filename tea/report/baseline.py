"""summary.json as a regression baseline: deterministic writing and comparison.

A report's ``summary.json`` holds its headline figures. CI regenerates every model's report and
compares the new summary with the committed ``reports/<model>/summary.json``; any headline figure
that moved by more than the relative tolerance (default :data:`DEFAULT_RTOL` = 1e-3, i.e. 0.1 %)
is reported by name with its old and new value. Updating the baseline is a deliberate call to
:func:`update_baseline`.
"""

from __future__ import annotations

import json
import math
import numbers
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from tea.report.format import (
    SIGNIFICANT_DIGITS,
    SUMMARY,
    flatten_summary,
    normalize,
    round_significant,
    summary_json,
)
from tea.report.write import write_report

DEFAULT_RTOL = 1e-3
"""Default relative tolerance of the baseline comparison (0.1 %)."""

DEFAULT_ATOL = 1e-9
"""Default absolute tolerance (moves smaller than this never count, e.g. around zero)."""

def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def compare_summaries(old: dict, new: dict, rtol: float = DEFAULT_RTOL,
                      atol: float = DEFAULT_ATOL, label: str = SUMMARY) -> list[str]:
    """Headline figures that differ between two summaries, one message per figure.

    Parameters
    ----------
    old, new : dict
        Summaries (nested dicts of numbers and strings), e.g. the committed and the regenerated.
    rtol : float
        Relative tolerance, a fraction (default 1e-3 = 0.1 %): a number moved when
        ``|new - old| > max(rtol * |old|, atol)``.
    atol : float
        Absolute tolerance (default 1e-9).
    label : str
        Prefix of each message (the file compared).

    Returns
    -------
    list[str]
        Empty when everything is within tolerance. Otherwise, sorted by key, lines such as
        ``"summary.json: npv: was 1.2e+10, now 1.3e+10 (moved +8.33 %, tolerance 0.1 %)"``;
        keys added or removed and changed non-numbers are reported as well.
    """
    before, after = flatten_summary(old), flatten_summary(new)
    tolerance = f"{100 * rtol:g} %"
    messages = []
    for key in sorted(set(before) | set(after)):
        if key not in after:
            messages.append(f"{label}: {key}: removed (was {before[key]!r})")
            continue
        if key not in before:
            messages.append(f"{label}: {key}: added (now {after[key]!r})")
            continue
        a, b = before[key], after[key]
        if _is_number(a) and _is_number(b):
            a, b = float(a), float(b)
            if math.isnan(a) and math.isnan(b):
                continue
            diff = abs(b - a)
            if diff <= max(rtol * abs(a), atol) and not (math.isnan(a) or math.isnan(b)):
                continue
            moved = f"{100 * (b - a) / abs(a):+.3g} %" if a != 0 else "from zero"
            messages.append(f"{label}: {key}: was {a:.6g}, now {b:.6g} "
                            f"(moved {moved}, tolerance {tolerance})")
        elif a != b:
            messages.append(f"{label}: {key}: was {a!r}, now {b!r}")
    return messages


def _models(models: Path | Iterable[Path]) -> list[Path]:
    if isinstance(models, str | Path) and Path(models).is_dir():
        return sorted(Path(models).glob("*.toml"))
    if isinstance(models, str | Path):
        return [Path(models)]
    return sorted(Path(m) for m in models)


def read_baseline(path: Path) -> dict:
    """A committed summary.json, read before any model is run; a file that is not a JSON object
    is refused as one line naming it (:class:`tea.errors.InputError`)."""
    from tea.errors import InputError

    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}; "
                         "expected the committed baseline: regenerate it with the baseline "
                         "update)", str(path)) from None
    except UnicodeDecodeError:
        raise InputError("not a UTF-8 text file (expected the committed baseline JSON)",
                         str(path)) from None
    except (OSError, RecursionError) as exc:
        raise InputError(f"cannot read the baseline ({type(exc).__name__})", str(path)) from None
    if not isinstance(data, dict):
        raise InputError(f"expected a JSON object (the committed baseline), got "
                         f"{type(data).__name__}", str(path))
    return data


def check_reports(models_dir: Path | Iterable[Path], reports_dir: Path,
                  make_bundle: Callable[[Path], object], rtol: float = DEFAULT_RTOL,
                  atol: float = DEFAULT_ATOL, out_dir: Path | None = None) -> list[str]:
    """Regenerate every model's report and compare its summary.json with the committed one.

    Parameters
    ----------
    models_dir : Path or iterable of Path
        A folder of model files (``*.toml``, each one report), or the model files themselves.
    reports_dir : Path
        Where the committed reports are: ``reports_dir/<model file stem>/summary.json``.
    make_bundle : callable
        Model file -> :class:`~tea.analysis.bundle.RunBundle` (runs the model).
    rtol, atol : float
        Tolerances of :func:`compare_summaries` (default 1e-3 relative, i.e. 0.1 %).
    out_dir : Path, optional
        Keep the regenerated reports here (``out_dir/<model>/``); by default they are written to
        a temporary folder and deleted. The committed reports are never touched.

    Returns
    -------
    list[str]
        One message per moved, added or removed figure, per model without a committed baseline
        and per committed baseline without a model; empty when all match (CI passes).
    """
    models = _models(models_dir)
    reports_dir = Path(reports_dir)
    messages = []
    with tempfile.TemporaryDirectory(prefix="tea-reports-") as tmp:
        target = Path(out_dir) if out_dir is not None else Path(tmp)
        for model in models:
            committed = reports_dir / model.stem / SUMMARY
            old = read_baseline(committed) if committed.is_file() else None
            written = write_report(make_bundle(model), target / model.stem)
            new = json.loads(written[SUMMARY].read_text(encoding="utf-8"))
            if old is None:
                messages.append(f"{committed}: no committed baseline for model {model.name}; "
                                "create it with the baseline update")
                continue
            messages += compare_summaries(old, new, rtol=rtol, atol=atol, label=str(committed))
    if isinstance(models_dir, str | Path) and Path(models_dir).is_dir() and reports_dir.is_dir():
        stems = {m.stem for m in models}
        for folder in sorted(p for p in reports_dir.iterdir() if (p / SUMMARY).is_file()):
            if folder.name not in stems:
                messages.append(f"{folder / SUMMARY}: baseline without a model in {models_dir}")
    return messages


def update_baseline(models_dir: Path | Iterable[Path], reports_dir: Path,
                    make_bundle: Callable[[Path], object]) -> dict[str, Path]:
    """Regenerate every model's report into ``reports_dir/<model>/`` (the new baseline).

    Returns
    -------
    dict[str, Path]
        Model file stem -> its report folder.
    """
    out = {}
    for model in _models(models_dir):
        folder = Path(reports_dir) / model.stem
        write_report(make_bundle(model), folder)
        out[model.stem] = folder
    return out


__all__ = ["SIGNIFICANT_DIGITS", "DEFAULT_RTOL", "DEFAULT_ATOL", "round_significant",
           "normalize", "summary_json", "flatten_summary", "compare_summaries", "read_baseline",
           "check_reports",
           "update_baseline"]
