"""A short text summary of a loaded scenario (printed by ``tea validate``)."""

from __future__ import annotations

from collections import Counter

from tea.config.scenario import Scenario
from tea.units import fmt


def summarize(scenario: Scenario) -> str:
    """Lines describing what a scenario contains: horizon, budget, sites, plants, demand."""
    s = scenario
    lines = [
        f"model      {s.name}: {s.title}",
        f"horizon    {s.first_year}-{s.last_year} (base year {s.base_year}), discount rate "
        f"{s.discount_rate:.1%} real, objective {s.objective}, reporting in {s.currency}",
        f"FX table   {s.fx_date}",
    ]
    if s.budget.total is not None:
        lines.append(f"budget     {fmt(s.budget.total)} in total"
                     + (f", {fmt(s.budget.per_year)} per year" if s.budget.per_year is not None
                        else ""))
    for year, cap in sorted(s.budget.import_share_cap.items()):
        lines.append(f"import cap share of imports <= {cap:.0%} in {year}")
    lines.append(f"sites      {len(s.sites)}: {', '.join(site.name for site in s.sites.values())}")
    routes = [f"{site.id}-{to} {fmt(km)}" for site in s.sites.values()
              for to, km in site.routes.items()]
    if routes:
        lines.append(f"routes     {len(routes)} direct: {', '.join(routes)}")
    if s.deposits:
        lines.append(f"deposits   {len(s.deposits)}: {', '.join(s.deposits)}")
    techs = Counter(p.technology for p in s.plants.values())
    existing = [p.id for p in s.plants.values() if p.existing_modules]
    lines.append(f"plants     {len(s.plants)} candidates ("
                 + ", ".join(f"{n} {t}" for t, n in techs.items()) + ")"
                 + (f"; existing or committed: {', '.join(existing)}" if existing else ""))
    lines.append(f"products   {len(s.products)}: {', '.join(s.products)}")
    for prod, series in s.demand.items():
        values = ", ".join(
            f"{'all years' if year is None else year}: {fmt(q, 6)}" for year, q in series.items()
        )
        lines.append(f"demand     {prod}: {values}")
    if s.targets:
        lines.append(f"target     {fmt(s.targets['production'], 6)} by {s.targets['year']}")
    return "\n".join(lines)
