"""Techno-economic model of the rare-earth value chain, from ore to sintered NdFeB magnets.

Subpackages: :mod:`tea.process` (process models), :mod:`tea.costing` (capital and operating cost),
:mod:`tea.finance` (cash flows, NPV, IRR, levelized cost), :mod:`tea.config` (model files),
:mod:`tea.chain` and :mod:`tea.optimize` (build-out optimization), :mod:`tea.report`.
"""

__version__ = "0.1.0"
