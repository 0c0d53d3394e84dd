"""Sintered NdFeB magnets: grades (alloy recipes) and the steps of the route with their yields.

Grades come from ``inputs/magnet_grades.csv``: the composition of the *finished* magnet in wt %
(summing to 100) and, for grain-boundary-diffused (GBD) grades, the Dy or Tb share added at the
diffusion step.  The bulk alloy before diffusion is the finished composition without that share,
renormalised.

The route (``inputs/magnet_route.csv``), in process order: vacuum induction melting, strip casting,
hydrogen decrepitation, jet milling, pressing in a field, sintering and annealing, machining,
grain-boundary diffusion, coating, magnetizing.  Diffusion is placed after machining and before the
protective coating, as the diffusion anneal (~900 C) would destroy a Ni or epoxy coating; the
coating's own mass is not tracked.  Each step has a mass yield; its loss has the composition of
the material in that step (slag, fines, rejects, swarf), which is a simplification for slag and
fines (in practice RE-oxide enriched).  The steps are given per technology level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from tea.elements import ELEMENTS, N_ELEMENTS
from tea.errors import InputError
from tea.process.downstream_inputs import check_nonnegative, check_yield, number
from tea.streams import Stream
from tea.tables import Rows

RE_COLUMNS = ("Nd", "Pr", "Dy", "Tb", "Gd")
OTHER_SPECIES = ("B", "Fe", "Co", "Cu", "Al", "Ga", "Nb")
"""Non-RE species of the alloy, carried as ``Stream.other``."""
STEPS = (
    "vacuum_induction_melting", "strip_casting", "hydrogen_decrepitation", "jet_milling",
    "pressing_in_field", "sintering_annealing", "machining", "grain_boundary_diffusion",
    "coating", "magnetizing",
)
"""Steps of the sintered route in process order."""
GBD_STEP = "grain_boundary_diffusion"
POWDER_ENTRY = "pressing_in_field"
"""Where recycled alloy powder (hydrogen route) joins the route: blended before pressing."""
SUM_TOLERANCE = 1e-6
"""Allowed deviation of a grade's wt % sum from 100 [wt %]."""


@dataclass(frozen=True)
class MagnetGrade:
    """A sintered NdFeB grade.

    Attributes
    ----------
    name : str
    fractions : dict[str, float]
        Mass fraction of each species (RE symbols and :data:`OTHER_SPECIES`) in the finished
        magnet [-]; sums to 1.
    gbd_element : str or None
        Dy or Tb added by grain-boundary diffusion.
    gbd_fraction : float
        Mass fraction of the finished magnet added by diffusion [-].
    source : str
    """

    name: str
    fractions: dict
    gbd_element: str | None = None
    gbd_fraction: float = 0.0
    source: str = ""

    @property
    def re_fraction(self) -> float:
        """Total RE mass fraction of the finished magnet [-]."""
        return sum(v for k, v in self.fractions.items() if k in ELEMENTS)

    def base_fractions(self) -> dict[str, float]:
        """Composition of the bulk alloy before diffusion (the GBD share removed) [-]."""
        out = dict(self.fractions)
        if self.gbd_element:
            out[self.gbd_element] -= self.gbd_fraction
        total = sum(out.values())
        return {k: v / total for k, v in out.items()}

    def stream(self, mass: float | np.ndarray, unit: str = "t/yr", stage: str = "finished",
               name: str | None = None) -> Stream:
        """A stream of ``mass`` of this grade's material.

        Parameters
        ----------
        mass : float or array
            Total mass [unit].
        stage : {"finished", "base"}
            Finished-magnet composition or the bulk alloy before diffusion.
        """
        if stage not in ("finished", "base"):
            raise InputError(f"stage must be 'finished' or 'base', got {stage!r}", key="stage")
        fr = self.fractions if stage == "finished" else self.base_fractions()
        m = np.asarray(mass, dtype=float)
        re = np.zeros((*m.shape, N_ELEMENTS))
        other = {}
        for key, value in fr.items():
            if key in ELEMENTS:
                re[..., ELEMENTS.index(key)] = m * value
            elif value > 0:
                other[key] = m * value
        return Stream(re, other, unit, name or f"{self.name}_{stage}")


def make_grade(name: str, wt_pct: Mapping[str, float], gbd_element: str | None = None,
               gbd_wt_pct: float = 0.0, source: str = "", file: str | None = None) -> MagnetGrade:
    """Build a grade from wt % and check it.

    Raises
    ------
    InputError
        If a species is unknown, a value is negative, the wt % do not sum to 100, or the GBD
        share is not Dy/Tb or exceeds that element's content.
    """
    known = set(RE_COLUMNS) | set(OTHER_SPECIES) | set(ELEMENTS)
    for key, value in wt_pct.items():
        if key not in known:
            raise InputError(f"grade {name}: unknown species {key!r}", file=file, key=f"{name}.{key}")
        check_nonnegative(value, file, f"{name}.{key}")
    total = float(sum(wt_pct.values()))
    if abs(total - 100.0) > SUM_TOLERANCE:
        raise InputError(f"grade {name}: composition sums to {total:.6g} wt %, expected 100",
                         file=file, key=name)
    fractions = {k: float(v) / 100.0 for k, v in wt_pct.items()}
    if gbd_element:
        if gbd_element not in ("Dy", "Tb"):
            raise InputError(f"grade {name}: gbd_element must be Dy or Tb, got {gbd_element!r}",
                             file=file, key=f"{name}.gbd_element")
        if not 0 < gbd_wt_pct <= wt_pct.get(gbd_element, 0.0) + 1e-12:
            raise InputError(f"grade {name}: gbd_wt_pct {gbd_wt_pct} must be > 0 and at most the "
                             f"{gbd_element} content {wt_pct.get(gbd_element, 0.0)}",
                             file=file, key=f"{name}.gbd_wt_pct")
    elif gbd_wt_pct:
        raise InputError(f"grade {name}: gbd_wt_pct given without gbd_element", file=file,
                         key=f"{name}.gbd_element")
    return MagnetGrade(name, fractions, gbd_element or None, gbd_wt_pct / 100.0, source)


def parse_grades(table: Rows) -> dict[str, MagnetGrade]:
    """All grades of ``magnet_grades.csv`` by name."""
    path = table.file
    cols = ("grade", *RE_COLUMNS, *OTHER_SPECIES, "gbd_element", "gbd_wt_pct", "source")
    rows = table.require(cols)
    out = {}
    for row in rows:
        name = row["grade"]
        if not row["source"]:
            raise InputError("every grade needs a source or 'assumption'", file=path,
                             key=f"{name}.source")
        if name in out:
            raise InputError("duplicated grade", file=path, key=name)
        wt = {c: number(row[c], path, f"{name}.{c}") for c in (*RE_COLUMNS, *OTHER_SPECIES)}
        gbd = number(row["gbd_wt_pct"], path, f"{name}.gbd_wt_pct", default=0.0)
        out[name] = make_grade(name, wt, row["gbd_element"] or None, gbd, row["source"], path)
    return out


def get_grade(grade: str | MagnetGrade, *, tables) -> MagnetGrade:
    """A grade by name (or the grade itself); unknown names raise :class:`InputError`.

    ``tables``: the input tables (:class:`tea.config.inputs.InputTables` or any object with the
    attribute used), ``magnet_grades`` (:func:`parse_grades`).
    """
    if isinstance(grade, MagnetGrade):
        return grade
    grades = tables.magnet_grades
    if grade not in grades:
        raise InputError(f"unknown magnet grade {grade!r} (known: {', '.join(grades)})",
                         file=tables.sources.get("magnet_grades"), key="grade")
    return grades[grade]


@dataclass(frozen=True)
class RouteStep:
    """One step of the sintered route.

    Attributes
    ----------
    name : str
    yield_ : float
        Mass out / mass in, in (0, 1] [-].
    loss_type : str
        slag, fines, rejects or swarf.
    recyclable : bool
        Whether the loss can be returned in-house.
    electricity : float
        Per kg of material entering the step [kWh/kg].
    source_utilization : float
        GBD only: share of the applied Dy/Tb that enters the magnet [-]; 1 elsewhere.
    """

    name: str
    yield_: float
    loss_type: str
    recyclable: bool
    electricity: float = 0.0
    source_utilization: float = 1.0


def parse_route(table: Rows) -> dict[str, tuple[RouteStep, ...]]:
    """The steps of ``magnet_route.csv`` by technology level, in process order."""
    path = table.file
    cols = ("tech_level", "step", "yield", "loss_type", "recyclable", "electricity",
            "source_utilization")
    rows = table.require(cols)
    levels: dict[str, dict[str, RouteStep]] = {}
    for row in rows:
        level, name = row["tech_level"], row["step"]
        key = f"{level}.{name}"
        if name not in STEPS:
            raise InputError(f"unknown step {name!r} (expected one of {', '.join(STEPS)})",
                             file=path, key=key)
        if row["recyclable"] not in ("yes", "no"):
            raise InputError(f"recyclable must be yes or no, got {row['recyclable']!r}",
                             file=path, key=f"{key}.recyclable")
        step = RouteStep(
            name, check_yield(number(row["yield"], path, f"{key}.yield"), path, f"{key}.yield"),
            row["loss_type"], row["recyclable"] == "yes",
            check_nonnegative(number(row["electricity"], path, f"{key}.electricity"), path,
                              f"{key}.electricity"),
            check_yield(number(row["source_utilization"], path, f"{key}.source_utilization",
                               default=1.0), path, f"{key}.source_utilization"),
        )
        if name in levels.setdefault(level, {}):
            raise InputError("duplicated step", file=path, key=key)
        levels[level][name] = step
    for level, steps in levels.items():
        missing = [s for s in STEPS if s not in steps]
        if missing:
            raise InputError(f"missing step(s) {', '.join(missing)}", file=path, key=level)
    return {level: tuple(steps[s] for s in STEPS) for level, steps in levels.items()}


def tech_levels(*, tables) -> tuple[str, ...]:
    """Technology levels of the ``magnet_route`` table (``tables`` as for :func:`load_route`)."""
    return tuple(tables.magnet_route)


def load_route(tech_level: str = "reference", yields: Mapping[str, float] | None = None, *,
               tables) -> tuple[RouteStep, ...]:
    """The steps of a technology level in process order, with optional yield overrides.

    Parameters
    ----------
    tech_level : str
        ``"reference"`` or ``"advanced"`` (or any level in the table).
    yields : mapping, optional
        Step name -> yield in (0, 1], e.g. ``{"machining": 0.8}``.
    tables : InputTables
        The input tables (:class:`tea.config.inputs.InputTables` or any object with the
        attributes used): ``magnet_route`` (:func:`parse_route`) and ``sources``.

    Raises
    ------
    InputError
        Unknown level or step, or a yield outside (0, 1].
    """
    levels = tables.magnet_route
    if tech_level not in levels:
        raise InputError(f"unknown technology level {tech_level!r} (known: {', '.join(levels)})",
                         file=tables.sources.get("magnet_route"), key="tech_level")
    steps = list(levels[tech_level])
    for name, value in (yields or {}).items():
        if name not in STEPS:
            raise InputError(f"unknown step {name!r} (expected one of {', '.join(STEPS)})",
                             key=f"yields.{name}")
        i = STEPS.index(name)
        steps[i] = replace(steps[i], yield_=check_yield(value, key=f"yields.{name}"))
    return tuple(steps)


def applicable_steps(steps: tuple[RouteStep, ...], grade: MagnetGrade) -> tuple[RouteStep, ...]:
    """The steps a grade goes through: diffusion only for GBD grades."""
    return tuple(s for s in steps if s.name != GBD_STEP or grade.gbd_element)


def overall_yield(steps: tuple[RouteStep, ...], grade: MagnetGrade | None = None) -> float:
    """Product of the step yields (the route's material yield) [-]."""
    if grade is not None:
        steps = applicable_steps(steps, grade)
    return float(np.prod([s.yield_ for s in steps]))


def run_step(feed: Stream, step: RouteStep) -> tuple[Stream, Stream]:
    """Pass material through a step: ``(output, loss)`` with ``loss = (1 - yield) * feed``."""
    check_yield(step.yield_, key=f"{step.name}.yield")
    other = {k: step.yield_ for k in feed.other}
    return feed.split(step.yield_, other, names=(step.name, f"{step.name}_{step.loss_type}"))
