"""The mass that moves when a t of a commodity is shipped (forms in ``inputs/shipping.csv``).

The optimizer's element-resolved commodities are stated in t of element, but what a truck or a
railcar carries is a concentrate, a carbonate, an oxide or a metal. Transport is charged on that
mass (:attr:`tea.chain.data.ChainData.commodities` ``shipping_mass``):

- ``conc:<deposit>:<El>``: the deposit's concentrate, ``concentrate mass / RE element mass`` of
  the beneficiation model (a 35 %-REO Tomtor concentrate moves about 3.4 t per t of element);
- ``mixed``, ``oxide``, ``metal``, ``scrap``: the form in ``inputs/shipping.csv``, with content
  ``c`` on an REO basis (``oxide_factor(El) / c`` t per t of element) or an element basis
  (``1 / c``);
- anything else (magnets, ore products in t of product): 1.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from tea.chain.commodity import Commodity
from tea.elements import OXIDE_FACTOR, index
from tea.errors import InputError
from tea.tables import INPUTS, read_table

SHIPPING_FILE = INPUTS / "shipping.csv"


@lru_cache(maxsize=4)
def load_shipping_forms(path: Path | str | None = None) -> dict[str, tuple[str, float]]:
    """``material -> (basis, content)`` of ``inputs/shipping.csv``.

    Raises
    ------
    InputError
        Naming the file and row on a missing source, an unknown basis or a content outside
        (0, 1].
    """
    path = Path(path or SHIPPING_FILE)
    out = {}
    for row in read_table(path, ("material", "form", "basis", "content", "source"),
                          require_rows=True):
        key = row["material"]
        if not row["source"]:
            raise InputError("every value needs a source", file=str(path), key=f"{key}.source")
        if row["basis"] not in ("REO", "RE"):
            raise InputError(f"basis {row['basis']!r} is not allowed (expected REO or RE)",
                             file=str(path), key=f"{key}.basis")
        try:
            content = float(row["content"])
        except ValueError:
            content = float("nan")
        if not 0 < content <= 1:
            raise InputError(f"expected a fraction in (0, 1], got {row['content']!r}",
                             file=str(path), key=f"{key}.content")
        out[key] = (row["basis"], content)
    return out


def shipping_mass(commodity: str, concentrate_mass_per_t_re: dict[str, float]) -> float:
    """t moved per t of ``commodity`` [t/t].

    Parameters
    ----------
    commodity : str
        An optimizer commodity name (:mod:`tea.chain.commodity`).
    concentrate_mass_per_t_re : dict
        Deposit -> concentrate mass per t of RE element in it [t/t].
    """
    c = Commodity.parse(commodity)
    if c.material == "conc":
        return concentrate_mass_per_t_re[c.source]
    # by-product concentrates move as a mixed RE carbonate
    material = "mixed" if c.material == "byproduct" else c.material
    forms = load_shipping_forms()
    if material not in forms or not c.element_resolved:
        return 1.0
    basis, content = forms[material]
    per_element = float(OXIDE_FACTOR[index(c.element)]) if basis == "REO" else 1.0
    return per_element / content
