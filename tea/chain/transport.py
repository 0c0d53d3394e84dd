"""The mass that moves when a t of a commodity is shipped (forms of the ``shipping`` table).

The optimizer's element-resolved commodities are stated in t of element, but what a truck or a
railcar carries is a concentrate, a carbonate, an oxide or a metal. Transport is charged on that
mass (:attr:`tea.chain.data.ChainData.commodities` ``shipping_mass``):

- ``conc:<deposit>:<El>``: the deposit's concentrate, ``concentrate mass / RE element mass`` of
  the beneficiation model (a 35 %-REO Tomtor concentrate moves about 3.4 t per t of element);
- ``mixed``, ``oxide``, ``metal``, ``scrap``: the form of the ``shipping`` table, with content
  ``c`` on an REO basis (``oxide_factor(El) / c`` t per t of element) or an element basis
  (``1 / c``);
- anything else (magnets, ore products in t of product): 1.
"""

from __future__ import annotations

from collections.abc import Mapping

from tea.chain.commodity import Commodity
from tea.elements import OXIDE_FACTOR, index


def shipping_mass(commodity: str, concentrate_mass_per_t_re: dict[str, float],
                  forms: Mapping[str, tuple[str, float]]) -> float:
    """t moved per t of ``commodity`` [t/t].

    Parameters
    ----------
    commodity : str
        An optimizer commodity name (:mod:`tea.chain.commodity`).
    concentrate_mass_per_t_re : dict
        Deposit -> concentrate mass per t of RE element in it [t/t].
    forms : mapping
        The ``shipping`` table (``InputTables.shipping``): material -> (basis, RE content [-]).
    """
    c = Commodity.parse(commodity)
    if c.material == "conc":
        return concentrate_mass_per_t_re[c.source]
    # by-product concentrates move as a mixed RE carbonate
    material = "mixed" if c.material == "byproduct" else c.material
    if material not in forms or not c.element_resolved:
        return 1.0
    basis, content = forms[material]
    per_element = float(OXIDE_FACTOR[index(c.element)]) if basis == "REO" else 1.0
    return per_element / content
