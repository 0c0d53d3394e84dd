"""Mixer-settler equipment and reagents of one SX cut at a throughput.

From a :class:`~tea.process.cascade.CutDesign` (flows per mol RE fed) and the RE feed rate:

- reagents of saponified SX: 3 mol base (NaOH or NH3) per mol RE loaded into the organic and
  >= 3 mol HCl per mol RE loaded for scrub and strip (3 H+ per RE3+; Zhang et al. 2016), the
  RE loaded being the organic load S per mol feed;
- phase flows from RE concentrations: organic at ~0.15 mol/L RE, half of the ~0.3 M saturation of
  30 % D2EHPA [C] (commonly quoted practice); aqueous liquors at an assumed 1 mol/L RE;
- mixer-settler count = extraction + scrub + strip stages (8 strip stages as in the Shin-Etsu
  plant of EP2388344A1 [C]);
- mixer volume = stage flow x mixer residence time; settler area = stage flow / specific settler
  flow; settler volume = area x depth; organic inventory = organic share of every stage volume
  plus hold-up in tanks and pipes.

Every default marked "assumption" in :data:`DEFAULTS` is a model parameter to sweep.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tea.errors import InputError
from tea.process.cascade import CutDesign, section_flows
from tea.units import Q_

MOLAR_MASS = {"NaOH": 39.997, "NH3": 17.031, "HCl": 36.458}
"""Molar masses of the reagents [g/mol] (IUPAC 2021 atomic weights)."""

DEFAULTS = {
    "organic_loading": (Q_(0.15, "mol/L"), "[C] half of ~0.3 M saturation of 30 % D2EHPA"),
    "aqueous_concentration": (Q_(1.0, "mol/L"), "assumption: feed, scrub and strip liquors"),
    "strip_stages": (8, "[C] EP2388344A1 plant (72 + 72 + 8 stages)"),
    "mixer_residence_time": (Q_(4.0, "min"), "assumption (typical 3-5 min)"),
    "settler_specific_flow": (Q_(4.0, "m**3/(m**2*h)"), "assumption (typical 2-6 m3/(m2 h))"),
    "settler_depth": (Q_(1.0, "m"), "assumption"),
    "organic_holdup_factor": (1.2, "assumption: +20 % organic in tanks and pipes"),
    "extractant_fraction": (0.30, "[C] 30 % extractant in diluent (commonly quoted practice)"),
    "extractant_density": (Q_(0.95, "kg/L"), "assumption: P507/D2EHPA ~0.95-0.97 kg/L"),
    "operating_hours": (Q_(8000.0, "h/yr"), "assumption: 91 % availability"),
    "hcl_excess": (1.0, "stoichiometric minimum (>= 3 mol HCl per mol RE loaded)"),
}


@dataclass(frozen=True)
class SXEquipment:
    """Reagents, flows, mixer-settlers and organic inventory of one cut (pint quantities).

    Reagent uses are per year; volumes, areas and inventories are installed stocks.
    """

    feed_rate: object                 # mol/h RE
    organic_flow: object              # m3/h, largest organic flow in the cascade
    aqueous_feed_flow: object         # m3/h
    scrub_liquor_flow: object         # m3/h
    strip_liquor_flow: object         # m3/h
    base: str
    base_use_mol: object              # mol/yr
    base_use: object                  # t/yr
    hcl_use_mol: object               # mol/yr
    hcl_use: object                   # t/yr
    extraction_stages: int
    scrub_stages: int
    strip_stages: int
    mixer_volume: object              # m3, all stages
    settler_area: object              # m2, all stages
    settler_volume: object            # m3, all stages
    organic_inventory: object         # m3
    extractant_inventory: object      # t
    assumptions: dict = field(default_factory=dict)

    @property
    def mixer_settlers(self) -> int:
        return self.extraction_stages + self.scrub_stages + self.strip_stages

    @property
    def total_volume(self):
        """Mixer plus settler volume [m3]."""
        return self.mixer_volume + self.settler_volume

    def to_dict(self) -> dict:
        """JSON-ready figures; each key names its unit."""
        return {
            "feed_rate_mol_per_h": self.feed_rate.m_as("mol/h"),
            "organic_flow_m3_per_h": self.organic_flow.m_as("m**3/h"),
            "aqueous_feed_flow_m3_per_h": self.aqueous_feed_flow.m_as("m**3/h"),
            "scrub_liquor_flow_m3_per_h": self.scrub_liquor_flow.m_as("m**3/h"),
            "strip_liquor_flow_m3_per_h": self.strip_liquor_flow.m_as("m**3/h"),
            "base": self.base,
            "base_use_t_per_yr": self.base_use.m_as("t/yr"),
            "hcl_use_t_per_yr": self.hcl_use.m_as("t/yr"),
            "base_use_mol_per_yr": self.base_use_mol.m_as("mol/yr"),
            "hcl_use_mol_per_yr": self.hcl_use_mol.m_as("mol/yr"),
            "mixer_settlers": self.mixer_settlers,
            "extraction_stages": self.extraction_stages,
            "scrub_stages": self.scrub_stages,
            "strip_stages": self.strip_stages,
            "mixer_volume_m3": self.mixer_volume.m_as("m**3"),
            "settler_area_m2": self.settler_area.m_as("m**2"),
            "settler_volume_m3": self.settler_volume.m_as("m**3"),
            "total_volume_m3": self.total_volume.m_as("m**3"),
            "organic_inventory_m3": self.organic_inventory.m_as("m**3"),
            "extractant_inventory_t": self.extractant_inventory.m_as("t"),
        }


def feed_rate(throughput, molar_mass=None, operating_hours=None):
    """Operating RE feed rate [mol/h] from a molar flow or a mass flow and a mean molar mass.

    The throughput is a calendar-average rate in any time unit (its annual amount is what the
    plant treats in a year); the operating rate spreads that annual amount over the operating
    hours (default 8000 h/yr, assumption).
    """
    hours = operating_hours if operating_hours is not None else DEFAULTS["operating_hours"][0]
    if not hasattr(throughput, "dimensionality"):
        raise InputError("throughput must be a pint quantity (t/yr with molar_mass, or mol/h)",
                         key="throughput")
    dims = throughput.dimensionality
    if dims == Q_(1, "mol/h").dimensionality:
        rate = throughput
    elif dims == Q_(1, "t/h").dimensionality:
        if molar_mass is None or not hasattr(molar_mass, "dimensionality"):
            raise InputError("a mass throughput needs molar_mass as a quantity in g/mol",
                             key="molar_mass")
        rate = (throughput / molar_mass).to("mol/h")
    else:
        raise InputError(f"throughput must be a molar or mass flow, got {throughput.units}",
                         key="throughput")
    if rate.magnitude < 0:
        raise InputError("throughput must be >= 0", key="throughput")
    per_year = rate.to("mol/yr")
    return (per_year / hours).to("mol/h")


def size_equipment(design: CutDesign, throughput, molar_mass=None, base: str = "NaOH",
                   **overrides) -> SXEquipment:
    """Size the reagents, mixer-settlers and organic inventory of a cut.

    Parameters
    ----------
    design : CutDesign
    throughput : pint.Quantity
        RE fed to the cut, calendar-average: [mol/yr] or [mol/h], or a mass flow [t/yr] on
        element basis with ``molar_mass`` [g/mol], the feed's mean atomic mass.  Flows and
        volumes are sized for the operating rate (see :func:`feed_rate`); reagents per year are
        for the annual amount.
    base : {"NaOH", "NH3"}
        Saponification base.
    **overrides
        Any key of :data:`DEFAULTS` (same units).
    """
    if base not in ("NaOH", "NH3"):
        raise InputError(f"base must be 'NaOH' or 'NH3', got {base!r}", key="base")
    unknown = set(overrides) - set(DEFAULTS)
    if unknown:
        raise InputError(f"unknown equipment parameters {sorted(unknown)}; expected {list(DEFAULTS)}")
    p = {k: overrides.get(k, v[0]) for k, v in DEFAULTS.items()}
    f = feed_rate(throughput, molar_mass, p["operating_hours"])
    hours = p["operating_hours"]
    s, w = design.organic_load, design.scrub_flow
    le, ve, ls, vs = section_flows(s, w, design.feed_phase)
    c_org, c_aq = p["organic_loading"], p["aqueous_concentration"]

    q_org_e = (ve * f / c_org).to("m**3/h")
    q_org_s = (vs * f / c_org).to("m**3/h")
    q_feed = (f / c_aq).to("m**3/h") if design.feed_phase == "aqueous" else 0 * q_org_e
    q_scrub = (w * f / c_aq).to("m**3/h")
    q_strip = (design.split_a * f / c_aq).to("m**3/h")
    n, m, k = design.extraction_stages, design.scrub_stages, int(p["strip_stages"])
    q_extr_stage = q_org_e + q_feed + q_scrub
    q_scrub_stage = q_org_s + q_scrub
    q_strip_stage = q_org_s + q_strip
    stage_flow = n * q_extr_stage + m * q_scrub_stage + k * q_strip_stage   # sum over stages
    organic_flow = n * q_org_e + (m + k) * q_org_s

    mixer = (stage_flow * p["mixer_residence_time"]).to("m**3")
    area = (stage_flow / p["settler_specific_flow"]).to("m**2")
    settler = (area * p["settler_depth"]).to("m**3")
    # organic share of each stage volume, summed; volume per stage is proportional to its flow
    organic_share = organic_flow / stage_flow
    organic_inv = ((mixer + settler) * organic_share * p["organic_holdup_factor"]).to("m**3")
    extractant = (organic_inv * p["extractant_fraction"] * p["extractant_density"]).to("t")

    loaded = (s * f * hours).to("mol/yr")           # RE loaded into the organic per year
    base_mol = 3.0 * loaded
    hcl_mol = 3.0 * loaded * p["hcl_excess"]
    return SXEquipment(
        feed_rate=f, organic_flow=q_org_s, aqueous_feed_flow=q_feed, scrub_liquor_flow=q_scrub,
        strip_liquor_flow=q_strip, base=base, base_use_mol=base_mol,
        base_use=(base_mol * Q_(MOLAR_MASS[base], "g/mol")).to("t/yr"),
        hcl_use_mol=hcl_mol, hcl_use=(hcl_mol * Q_(MOLAR_MASS["HCl"], "g/mol")).to("t/yr"),
        extraction_stages=n, scrub_stages=m, strip_stages=k,
        mixer_volume=mixer, settler_area=area, settler_volume=settler,
        organic_inventory=organic_inv, extractant_inventory=extractant,
        assumptions={k2: v[1] for k2, v in DEFAULTS.items()},
    )
