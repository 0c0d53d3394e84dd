"""From a Scenario to the optimizer's numbers (the project's model chain).

- :mod:`tea.chain.commodity`: the :class:`Commodity` type, the one place commodity names are built
  and parsed;
- :mod:`tea.chain.coefficients`: per-technology unit coefficients from the process models;
- :mod:`tea.chain.costs`: capital and operating cost of each plant module;
- :mod:`tea.chain.transport`: the mass a t of each commodity moves as;
- :mod:`tea.chain.assembly`: :func:`build_chain`, a Scenario into ``ChainData`` and ``ChainInfo``.
"""

from tea.chain.assembly import ChainInfo, build_chain, hold_caps, interpolate_series

__all__ = ["ChainInfo", "build_chain", "hold_caps", "interpolate_series"]
