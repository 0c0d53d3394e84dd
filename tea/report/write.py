"""Write a whole report folder from a :class:`~tea.analysis.bundle.RunBundle`, all or nothing.

``out_dir`` (e.g. ``reports/siberia_cluster/``) receives::

    report.md        headline figures, tables, links to figures/*.png, inputs with sources
    report.html      the same, self-contained (figures embedded)
    report.xlsx      summary, inputs, costs, chain and plant cash flows, results
    summary.json     headline figures (sorted keys, floats to 6 significant digits): the baseline
    figures/*.png    see :data:`tea.report.figures.FIGURES`

Everything is first written into a temporary folder beside ``out_dir``; only when every file is
written does that folder replace ``out_dir`` (the old folder, with anything in it, is removed).
If anything fails, ``out_dir`` is left as it was and the temporary folder is deleted. Temporary
folders that an interrupted run left behind (``.<name>.new-*`` and ``.<name>.old-*`` beside
``out_dir``) are removed at the start of the next run of the same report.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from tea.report.excel import write_workbook
from tea.report.figures import write_figures
from tea.report.format import SUMMARY, summary_json
from tea.report.html import render_html
from tea.report.markdown import render_markdown


def _write_all(bundle, folder: Path) -> list[str]:
    """Write every report file into ``folder``; returns their paths relative to it."""
    names = []
    figures = write_figures(bundle, folder / "figures")
    names += [f"figures/{path.name}" for path in figures.values()]
    (folder / "report.md").write_text(render_markdown(bundle), encoding="utf-8")
    (folder / "report.html").write_text(render_html(bundle, figures), encoding="utf-8")
    write_workbook(bundle, folder / "report.xlsx")
    (folder / SUMMARY).write_text(summary_json(bundle.summary), encoding="utf-8")
    return ["report.md", "report.html", "report.xlsx", SUMMARY, *names]


def remove_stale(out_dir: Path) -> list[Path]:
    """Remove the temporary folders of earlier, interrupted writes of ``out_dir``; returns them."""
    out_dir = Path(out_dir)
    stale = []
    if out_dir.parent.is_dir():
        for kind in ("new", "old"):
            stale += [p for p in out_dir.parent.glob(f".{out_dir.name}.{kind}-*") if p.is_dir()
                      and not p.is_symlink()]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


def write_report(bundle, out_dir: Path) -> dict[str, Path]:
    """Write the report of ``bundle`` into ``out_dir``, replacing the folder as a whole.

    Parameters
    ----------
    bundle : RunBundle
        One model's results.
    out_dir : Path
        The report folder, e.g. ``reports/<model>``; created with its parents if needed.

    Returns
    -------
    dict[str, Path]
        File name relative to ``out_dir`` (``"report.md"``, ``"summary.json"``,
        ``"figures/supply_cost_curve.png"``, ...) -> its final path.

    Raises
    ------
    Exception
        Whatever a writer raised; ``out_dir`` is then unchanged and no temporary folder remains.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(out_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    old = None
    try:
        names = _write_all(bundle, tmp)
        os.chmod(tmp, 0o755)  # mkdtemp makes the folder private; a report folder is not
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
            os.replace(out_dir, old / out_dir.name)
        os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and (old / out_dir.name).exists() and not out_dir.exists():
            os.replace(old / out_dir.name, out_dir)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return {name: out_dir / name for name in names}


__all__ = ["remove_stale", "write_report"]
