"""The ``[plants.ID]`` tables of a model file: one :class:`tea.config.scenario.Plant` each."""

from __future__ import annotations

from pathlib import Path

from tea.config.fields import Reader, named_tables
from tea.config.scenario import CAPACITY_UNITS, TECHNOLOGIES, Plant
from tea.process.recycling import recovery_cases


def read_plants(top, sites, deposits, products, in_horizon, first_year: int,
                inputs) -> dict[str, Plant]:
    """The plants of a model file, their grades, technology levels and recovery cases checked
    against the scenario's input tables (``inputs``, :class:`tea.config.inputs.InputTables`)."""
    plants = {}
    for ident, r in named_tables(top, "plants"):
        tech = r.text("technology", choices=TECHNOLOGIES)
        site = r.text("site")
        if site not in sites:
            raise r.error("site", f"unknown site {site!r} (expected one of: {', '.join(sites)})")
        capacity = r.quantity("capacity", CAPACITY_UNITS[tech], positive=True)
        max_modules = r.integer("max_modules", default=1, minimum=0, maximum=1000)
        existing = r.integer("existing_modules", default=0, minimum=0, maximum=max_modules)
        online = r.integer("online_year", default=None)
        if online is not None:
            in_horizon(r, "online_year", str(online))
        first_build = r.integer("first_build_year", default=first_year)
        in_horizon(r, "first_build_year", str(first_build))
        lead = r.quantity("lead_time", "yr", minimum=0)
        life = r.quantity("lifetime", "yr", positive=True)
        deposit = r.text("deposit", default=None)
        if tech in ("mine", "cracking") and deposit is None:
            raise r.error("deposit", f"missing (a {tech} plant needs the deposit it treats)")
        if deposit is not None and deposit not in deposits:
            raise r.error("deposit", f"unknown deposit {deposit!r} (expected one of: "
                                     f"{', '.join(deposits) or 'none defined'})")
        plant_products = tuple(r.text_list("products", default=[]))
        for prod in plant_products:
            if prod not in products:
                raise r.error("products", f"unknown product {prod!r} (expected one of: "
                                          f"{', '.join(products)})")
        plants[ident] = Plant(
            id=ident, technology=tech, site=site, capacity=capacity, max_modules=max_modules,
            existing_modules=existing, online_year=online,
            first_build_year=first_build,
            lead_time=_whole_years(r, "lead_time", lead),
            lifetime=_whole_years(r, "lifetime", life),
            reference_plant=r.text("reference_plant", default=None),
            capex=r.quantity("capex", "USD_2024", default=None, positive=True, money=True),
            deposit=deposit, products=plant_products,
            purity=r.fraction("purity", default=0.9999),
            grade=check_grade(r, "grade", r.text("grade", default=None), inputs),
            tech_level=_check_tech_level(r, r.text("tech_level", default=None), inputs),
            route=r.text("route", default=None),
            budget_counts=r.flag("budget_counts", default=True),
            builds=_builds(r, in_horizon, max_modules - existing),
            mining_cost=r.quantity("mining_cost", "USD_2024/t", default=None, minimum=0,
                                   money=True),
            recovery_case=(r.text("recovery_case", default=None,
                                  choices=tuple(recovery_cases(tables=inputs)))
                           if tech == "recycling" else None),
        )
        if plants[ident].reference_plant is None and plants[ident].capex is None:
            raise r.error("capex", "missing (give capex per module, or a reference_plant to scale "
                                   "from)")
        r.finish()
    return plants


def check_grade(r: Reader, key: str, grade: str | None, inputs) -> str | None:
    """A magnet grade must be a row of the ``magnet_grades`` table of ``inputs``."""
    if grade is None:
        return None
    grades = inputs.magnet_grades
    if grade not in grades:
        name = Path(inputs.sources.get("magnet_grades", "magnet_grades.csv")).name
        raise r.error(key, f"unknown magnet grade {grade[:40]!r} (expected one of "
                           f"{', '.join(grades)}, the grades of {name})")
    return grade


def _check_tech_level(r: Reader, level: str | None, inputs) -> str | None:
    """A technology level must be one of the ``magnet_route`` table of ``inputs``."""
    if level is None:
        return None
    levels = tuple(inputs.magnet_route)
    if level not in levels:
        raise r.error("tech_level", f"unknown technology level {level[:40]!r} (expected one of "
                                    f"{', '.join(levels)})")
    return level


def _whole_years(r: Reader, key: str, duration) -> int:
    """A duration in yr (the reader's base unit) as a whole number of years: the model's time step
    is the year, so ``"36 month"`` is 3 and ``"30 month"`` is refused, not rounded."""
    years = float(duration.to("yr").magnitude)
    whole = round(years)
    if abs(years - whole) > 1e-9 * max(1.0, abs(years)):
        raise r.error(key, f"{r.table[key]!r} is {years:g} yr (expected a whole number of years: "
                           "the model steps in years)")
    return int(whole)


def _builds(r: Reader, in_horizon, allowed: int) -> dict[int, int]:
    """``builds = {2027 = 1}``: modules started per year in a fixed plan."""
    sub = r.sub("builds", required=False)
    if sub is None:
        return {}
    out = {}
    for year_text in sub.table:
        year = in_horizon(sub, year_text, year_text)
        out[year] = sub.integer(year_text, minimum=0)
    sub.finish()
    if sum(out.values()) > allowed:
        raise r.error("builds", f"{sum(out.values())} modules planned but only {allowed} may be "
                                "built (max_modules - existing_modules)")
    return out
