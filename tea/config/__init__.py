"""Model files: loading and validating a TOML model into a typed :class:`Scenario`."""

from tea.config.loader import load_scenario
from tea.config.scenario import Budget, Deposit, Plant, Product, Scenario, Site

__all__ = ["load_scenario", "Scenario", "Site", "Deposit", "Plant", "Product", "Budget"]
