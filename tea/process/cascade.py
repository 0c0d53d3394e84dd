"""Binary countercurrent solvent-extraction cut: cascade theory and stage-by-stage simulation.

A is the more extractable component (it leaves in the loaded organic), B the other (it leaves in
the raffinate).  Flows are mol RE per mol RE fed.  Stages are numbered from the raffinate end:
stages ``1..n`` form the extraction section (blank saponified organic enters stage 1), stages
``n+1..n+m`` the scrub section (blank scrub acid enters stage ``n+m``, loaded organic leaves it).
An aqueous feed enters stage ``n``; an organic feed enters stage ``n+1`` with the organic.

Theory (Xu Guangxian's extraction-cascade theory, as summarised in Zhang, Zhao, Schreiner,
*Separation Hydrometallurgy of Rare Earth Elements*, Springer 2016, ch. on cascade design):
split f'_A, recoveries, purification factors a and b, optimum mixed extraction ratios E_M and E'_M,
flows S and W, simplified stage numbers, Fenske minimum stages and the minimum reflux.

Simulation: constant separation factor ``y/(1-y) = beta x/(1-x)`` in every stage, constant RE
flows in each section (saturated organic), 100 % stage efficiency.  For a binary with constant
flows, one stage step (equilibrium, then operating line) is a linear-fractional map of the A mole
fraction, so ``k`` identical stages are the k-th power of a 2x2 matrix (the same algebra behind the
Lewis-Sorel stage-to-stage method and the Kremser equation).  Marching from the raffinate end with
a trial raffinate composition ``x1`` and from the scrub end with the matching organic product
(overall A balance) gives a mismatch of the A balance around the feed stage that rises
monotonically with ``x1``; its root is the steady state.  Feasibility of a design at a target purity
is one evaluation of the mismatch at ``x1 = 1 - purity_b``, which lets :func:`design_cut` test
many (n, m) pairs at once with numpy.  :func:`stage_profile` returns every stage's compositions so
the stage balances can be checked one by one.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from tea.errors import InputError

FEED_PHASES = ("aqueous", "organic")

MIN_BETA = 1.01
"""Smallest separation factor a cut is designed for [-].  The hardest adjacent pairs separated
industrially have beta of about 1.3-1.5 (Nd/Pr 1.4 and Er/Y 1.3 in P507, inputs/separation_factors.csv);
at beta = 1.01 the Fenske minimum alone, ln[(P_A/(1-P_A))(P_B/(1-P_B))]/ln(beta), is 920 stages
for 99 %/99 % products and 1,850 for 99.99 %/99.99 %, so a smaller beta gives no practical cut
(and its design search grows without bound as beta -> 1)."""

MAX_BETA = 1e6
"""Largest separation factor accepted [-]: far above any RE pair (Sc/Lu, the largest in
inputs/separation_factors.csv, is 10); beyond ~1e300 the stage algebra overflows."""

MAX_STAGES = 2000
"""Largest total stage count (extraction + scrub) a design may have [stages].  Industrial RE
cascades run to some hundreds of mixer-settlers per product line; 2,000 is well beyond any built
circuit and keeps the design search (arrays of n x m candidates) under a second."""


# --- validation --------------------------------------------------------------------------------
def _number(value, name: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number, got {value!r}", key=name) from None
    if not math.isfinite(out):
        raise InputError(f"{name} must be finite, got {value!r}", key=name)
    return out


def check_cut_inputs(beta, feed_a, purity_a, purity_b, feed_phase="aqueous"):
    """Validate the physics of a binary cut; return the four numbers as floats.

    Raises
    ------
    InputError
        beta <= 1, feed_a outside (0, 1), a purity >= 1 or <= its feed fraction, non-finite
        values, or an unknown feed phase.
    """
    beta, fa = _number(beta, "beta"), _number(feed_a, "feed_a")
    pa, pb = _number(purity_a, "purity_a"), _number(purity_b, "purity_b")
    if beta <= 1.0:
        raise InputError(f"beta must be > 1 (A is the more extractable), got {beta}", key="beta")
    if beta > MAX_BETA:
        raise InputError(f"beta {beta:g} is implausibly large (expected at most {MAX_BETA:g})",
                         key="beta")
    if beta < MIN_BETA:
        raise InputError(f"beta {beta} is too close to 1 for a practical cut (expected beta >= "
                         f"{MIN_BETA}: at 1.01 a 99.99 % cut already needs over 1,800 stages)",
                         key="beta")
    if not 0.0 < fa < 1.0:
        raise InputError(f"feed_a must lie in (0, 1), got {fa}", key="feed_a")
    if not fa < pa < 1.0:
        raise InputError(f"purity_a must lie in (feed_a={fa:g}, 1), got {pa}", key="purity_a")
    if not 1.0 - fa < pb < 1.0:
        raise InputError(f"purity_b must lie in (1 - feed_a={1 - fa:g}, 1), got {pb}",
                         key="purity_b")
    if feed_phase not in FEED_PHASES:
        raise InputError(f"feed_phase must be one of {FEED_PHASES}, got {feed_phase!r}",
                         key="feed_phase")
    return beta, fa, pa, pb


# --- cascade theory ------------------------------------------------------------------------------
def split_fraction(feed_a: float, purity_a: float, purity_b: float) -> float:
    """Fraction of the feed leaving in the organic product, f'_A = (P_B - f_B)/(P_A + P_B - 1) [-]."""
    return (purity_b - (1.0 - feed_a)) / (purity_a + purity_b - 1.0)


def purification_factors(feed_a: float, purity_a: float, purity_b: float) -> tuple[float, float]:
    """Purification factors (a, b) of the organic (A) and raffinate (B) products [-].

    a = [P_A/(1-P_A)]/(f_A/f_B), b = [P_B/(1-P_B)]/(f_B/f_A) (Xu; Zhang et al. 2016).
    """
    fb = 1.0 - feed_a
    a = purity_a / (1.0 - purity_a) / (feed_a / fb)
    b = purity_b / (1.0 - purity_b) / (fb / feed_a)
    return a, b


def fenske_min_stages(beta: float, purity_a: float, purity_b: float) -> float:
    """Minimum stages at total reflux, ln[(P_A/(1-P_A))(P_B/(1-P_B))]/ln(beta) [-] (Fenske)."""
    return math.log(purity_a / (1 - purity_a) * purity_b / (1 - purity_b)) / math.log(beta)


def min_reflux(beta: float, feed_a: float, purity_a: float, split_a: float) -> float:
    """Minimum scrub flow W_min [mol/mol feed] (Underwood-type pinch at the feed, Zhang et al. 2016).

    W_min / f'_A = [P_A/f_A - beta (1-P_A)/(1-f_A)] / (beta - 1).
    """
    ratio = (purity_a / feed_a - beta * (1 - purity_a) / (1 - feed_a)) / (beta - 1)
    return split_a * ratio


def optimum_flows(beta: float, split_a: float, feed_phase: str = "aqueous"):
    """Xu's optimum flows: (S, W, E_M, E'_M, controlling section).

    The optimum (least S(n+m)) puts the controlling section at E_M = 1/sqrt(beta) (extraction) or
    E'_M = sqrt(beta) (scrub); the controlling one is the section that needs the larger scrub flow.
    For an aqueous feed this is the criterion f'_B > sqrt(beta)/(1+sqrt(beta)) -> extraction
    controls (Zhang et al. 2016).  Aqueous feed: E_M = S/(W+1), E'_M = S/W, S - W = f'_A.  Organic
    feed (S = organic RE in the scrub section): E_M = (S-1)/W, E'_M = S/W.
    """
    r = math.sqrt(beta)
    split_b = 1.0 - split_a
    w_scrub = split_a / (r - 1.0)
    if feed_phase == "aqueous":
        w_extr = (1.0 / r - split_a) / (1.0 - 1.0 / r)
    else:
        w_extr = split_b * r / (r - 1.0)
    controlling = "extraction" if w_extr > w_scrub else "scrub"
    w = max(w_extr, w_scrub)
    s = w + split_a
    e_m = s / (w + 1.0) if feed_phase == "aqueous" else (s - 1.0) / w
    return s, w, e_m, s / w, controlling


def formula_stages(beta, feed_a, purity_a, purity_b, e_m, e_m_scrub, feed_phase="aqueous"):
    """Simplified stage numbers (n, m) for constant mixed extraction ratios [-], real-valued.

    n = lg b / lg(beta E_M), m + 1 = lg a / lg(beta / E'_M) for an aqueous feed; for an organic
    feed the +1 moves to n (Zhang et al. 2016).
    """
    a, b = purification_factors(feed_a, purity_a, purity_b)
    n = math.log(b) / math.log(beta * e_m)
    m = math.log(a) / math.log(beta / e_m_scrub)
    return (n, m - 1.0) if feed_phase == "aqueous" else (n - 1.0, m)


# --- simulation core -----------------------------------------------------------------------------
def section_flows(s, w, feed_phase):
    """(L_e, V_e, L_s, V_s): aqueous and organic RE flows in extraction and scrub sections."""
    if feed_phase == "aqueous":
        return w + 1.0, s, w, s
    return w, s - 1.0, w, s


def _mat_power(p: np.ndarray, k) -> np.ndarray:
    """p**k for stacks of 2x2 matrices (shape (..., 2, 2)), k >= 0 integers per stack entry.

    Binary powering; each product is rescaled (a linear-fractional map is unchanged by scaling).
    """
    k = np.broadcast_to(np.asarray(k, dtype=np.int64), p.shape[:-2])
    out = np.broadcast_to(np.eye(2), p.shape).copy()
    base = p
    bits = int(k.max()).bit_length() if k.size else 0
    for bit in range(bits):
        odd = ((k >> bit) & 1).astype(bool)[..., None, None]
        if odd.any():
            prod = out @ base
            prod /= np.abs(prod).max(axis=(-2, -1), keepdims=True)
            out = np.where(odd, prod, out)
        if bit + 1 < bits:
            base = base @ base
            base /= np.abs(base).max(axis=(-2, -1), keepdims=True)
    return out


def _apply(mat: np.ndarray, x):
    return (mat[..., 0, 0] * x + mat[..., 0, 1]) / (mat[..., 1, 0] * x + mat[..., 1, 1])


def _mismatch(x1, n, m, beta, fa, s, w, feed_phase):
    """A balance around stages 1..n minus its input, for a trial raffinate A fraction x1 [mol].

    Zero at the steady state; rises monotonically with x1.  All arguments broadcast.
    """
    le, ve, ls, vs = section_flows(s, w, feed_phase)
    fpa, fpb = vs - ls, le - ve
    x1 = np.asarray(x1, dtype=float)
    c = fpb * x1
    shape = np.broadcast_shapes(x1.shape, np.shape(n), np.shape(m))
    t = np.empty((*shape, 2, 2))
    t[..., 0, 0] = ve * beta + c * (beta - 1.0)
    t[..., 0, 1] = c
    t[..., 1, 0] = le * (beta - 1.0)
    t[..., 1, 1] = le
    xn = _apply(_mat_power(t, np.asarray(n) - 1), x1)
    yn_top = np.clip((fa - c) / fpa, 0.0, 1.0)            # organic product A fraction
    d = fpa * yn_top
    u = np.empty((*shape, 2, 2))
    u[..., 0, 0] = ls
    u[..., 0, 1] = d
    u[..., 1, 0] = -(beta - 1.0) * ls
    u[..., 1, 1] = beta * vs - (beta - 1.0) * d
    x_top = yn_top / (beta - (beta - 1.0) * yn_top)
    x_above = _apply(_mat_power(u, np.asarray(m) - 1), x_top)  # aqueous leaving stage n+1
    y_n = beta * xn / (1.0 + (beta - 1.0) * xn)
    feed_in = fa if feed_phase == "aqueous" else 0.0
    return ve * y_n + c - ls * x_above - feed_in


@dataclass(frozen=True)
class CutSimulation:
    """Steady state of one simulated cut (per mol RE feed)."""

    purity_a: float
    purity_b: float
    recovery_a: float
    recovery_b: float
    raffinate_a: float
    """A mole fraction in the raffinate, x_1 [-]."""


def simulate_cut(beta, feed_a, extraction_stages, scrub_stages, organic_load, scrub_flow,
                 feed_phase="aqueous") -> CutSimulation:
    """Simulate a cascade of n extraction and m scrub stages with flows S and W [mol/mol feed].

    The raffinate composition is the root of the feed-stage mismatch (see module notes), found by
    repeated grid refinement in log(x1) with numpy (bracketed, so it always converges).
    """
    beta, fa = _number(beta, "beta"), _number(feed_a, "feed_a")
    n, m = int(extraction_stages), int(scrub_stages)
    s, w = _number(organic_load, "organic_load"), _number(scrub_flow, "scrub_flow")
    if beta <= 1 or not 0 < fa < 1:
        raise InputError("beta must be > 1 and feed_a in (0, 1)")
    if n < 1 or m < 1:
        raise InputError(f"stage numbers must be >= 1, got n={n}, m={m}", key="stages")
    le, ve, ls, vs = section_flows(s, w, feed_phase)
    fpa, fpb = vs - ls, le - ve
    if w <= 0 or not (0 < fpa < 1) or ve <= 0:
        raise InputError(f"flows S={s:g}, W={w:g} must give 0 < S - W < 1 and W > 0",
                         key="organic_load")
    lo = max((fa - fpa) / fpb, 1e-300)
    hi = min(1.0, fa / fpb)
    t_lo, t_hi = math.log(lo), math.log(hi)
    for _ in range(12):
        grid = np.linspace(t_lo, t_hi, 129)
        f = _mismatch(np.exp(grid), n, m, beta, fa, s, w, feed_phase)
        k = int(np.argmax(f >= 0.0)) if np.any(f >= 0.0) else len(grid) - 1
        k = max(k, 1)
        t_lo, t_hi = grid[k - 1], grid[k]
        if t_hi - t_lo < 1e-13:
            break
    x1 = math.exp(0.5 * (t_lo + t_hi))
    y_top = (fa - fpb * x1) / fpa
    return CutSimulation(
        purity_a=y_top, purity_b=1.0 - x1,
        recovery_a=fpa * y_top / fa, recovery_b=fpb * (1.0 - x1) / (1.0 - fa), raffinate_a=x1,
    )


def stage_profile(design: CutDesign) -> pd.DataFrame:
    """Stage-by-stage steady state of a design: one row per stage.

    Columns: stage, section, x_a (aqueous A fraction leaving), y_a (organic A fraction leaving),
    aqueous_re, organic_re (RE flows leaving the stage) [mol/mol feed].
    """
    beta, n, m = design.beta, design.extraction_stages, design.scrub_stages
    le, ve, ls, vs = section_flows(design.organic_load, design.scrub_flow, design.feed_phase)
    fpa, fpb = vs - ls, le - ve
    x1 = 1.0 - design.simulated_purity_b
    y_top = design.simulated_purity_a
    x = np.empty(n + m)
    x[0] = x1
    for i in range(1, n):
        y = beta * x[i - 1] / (1 + (beta - 1) * x[i - 1])
        x[i] = (ve * y + fpb * x1) / le
    x[-1] = y_top / (beta - (beta - 1) * y_top)
    for j in range(n + m - 1, n, -1):
        y = (ls * x[j] + fpa * y_top) / vs
        x[j - 1] = y / (beta - (beta - 1) * y)
    y = beta * x / (1 + (beta - 1) * x)
    aq = np.r_[fpb, np.full(n - 1, le), np.full(m, ls)]
    org = np.r_[np.full(n, ve), np.full(m - 1, vs), fpa]
    return pd.DataFrame({
        "stage": np.arange(1, n + m + 1),
        "section": ["extraction"] * n + ["scrub"] * m,
        "x_a": x, "y_a": y, "aqueous_re": aq, "organic_re": org,
    })


# --- design -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CutDesign:
    """A designed binary cut whose simulation meets both purity targets.

    Flows are per mol RE feed [mol/mol]; stage counts are whole mixer-settlers (100 % efficiency).
    """

    beta: float
    feed_a: float
    purity_a: float
    purity_b: float
    feed_phase: str
    extraction_stages: int
    scrub_stages: int
    formula_extraction_stages: float
    formula_scrub_stages: float
    fenske_min_stages: float
    simulated_purity_a: float
    simulated_purity_b: float
    recovery_a: float
    recovery_b: float
    split_a: float
    organic_load: float
    scrub_flow: float
    extraction_ratio: float
    scrub_extraction_ratio: float
    controlling_section: str
    min_scrub_flow: float

    @property
    def total_stages(self) -> int:
        return self.extraction_stages + self.scrub_stages

    @property
    def formula_total_stages(self) -> float:
        return self.formula_extraction_stages + self.formula_scrub_stages

    @property
    def reflux_ratio(self) -> float:
        """Scrub flow per mol of organic product, W / f'_A [-]."""
        return self.scrub_flow / self.split_a

    @property
    def min_reflux_ratio(self) -> float:
        return self.min_scrub_flow / self.split_a

    def to_dict(self) -> dict:
        """JSON-ready dict of every field, the totals and the formula-vs-simulation differences."""
        out = {k: (v if isinstance(v, str | int) else float(v)) for k, v in asdict(self).items()}
        out.update(
            total_stages=self.total_stages,
            formula_total_stages=float(self.formula_total_stages),
            extraction_stages_minus_formula=float(self.extraction_stages
                                                  - self.formula_extraction_stages),
            scrub_stages_minus_formula=float(self.scrub_stages - self.formula_scrub_stages),
            total_stages_minus_formula=float(self.total_stages - self.formula_total_stages),
            reflux_ratio=float(self.reflux_ratio), min_reflux_ratio=float(self.min_reflux_ratio),
        )
        return out

    def describe(self) -> str:
        """Readable multi-line summary for engineers."""
        d = self
        return "\n".join([
            f"Binary SX cut, beta = {d.beta:g}, feed A fraction = {d.feed_a:g} ({d.feed_phase} feed)",
            f"  targets        : P_A = {d.purity_a:.6g} (organic), P_B = {d.purity_b:.6g} (raffinate)",
            f"  split f'_A     : {d.split_a:.6f} mol/mol feed",
            f"  flows          : S = {d.organic_load:.4f}, W = {d.scrub_flow:.4f} mol/mol feed "
            f"({d.controlling_section} section controls)",
            f"  extraction     : E_M = {d.extraction_ratio:.4f}, E'_M = {d.scrub_extraction_ratio:.4f}",
            f"  reflux W/f'_A  : {d.reflux_ratio:.3f} (minimum {d.min_reflux_ratio:.3f})",
            f"  stages         : {d.extraction_stages} extraction + {d.scrub_stages} scrub = "
            f"{d.total_stages} (simulated)",
            f"  formula stages : n = {d.formula_extraction_stages:.2f}, m = "
            f"{d.formula_scrub_stages:.2f}, total {d.formula_total_stages:.2f} "
            f"(simulation needs {d.total_stages - d.formula_total_stages:+.2f})",
            f"  Fenske minimum : {d.fenske_min_stages:.2f} stages (total reflux)",
            f"  simulated      : P_A = {d.simulated_purity_a:.7f}, P_B = {d.simulated_purity_b:.7f}",
            f"  recoveries     : A {d.recovery_a:.6f}, B {d.recovery_b:.6f}",
        ])


def _min_scrub_stages(n_arr, beta, fa, s, w, pb, feed_phase, m_hi):
    """Smallest m meeting the target for each n (vectorized bisection); m_hi+1 where none does."""
    x_target = 1.0 - pb
    ok_hi = _mismatch(x_target, n_arr, m_hi, beta, fa, s, w, feed_phase) >= 0.0
    lo = np.zeros_like(n_arr)
    hi = np.full_like(n_arr, m_hi)
    while np.any(hi - lo > 1):
        open_ = hi - lo > 1  # a bracket already closed stays as it is (mid would equal lo)
        mid = (lo + hi) // 2
        ok = _mismatch(x_target, n_arr, np.maximum(mid, 1), beta, fa, s, w, feed_phase) >= 0.0
        hi = np.where(open_ & ok, mid, hi)
        lo = np.where(open_ & ~ok, mid, lo)
    return np.where(ok_hi, hi, m_hi + 1)


def design_cut(beta, feed_a, purity_a=0.9999, purity_b=0.9999,
               feed_phase="aqueous") -> CutDesign:
    """Design a binary countercurrent cut whose stage-by-stage simulation meets both targets.

    Flows come from Xu's optimum extraction ratios; the simplified stage numbers set the search
    window; the returned (n, m) is the pair with the fewest total stages whose simulation meets the
    targets (ties: the split closest to the formula's).  With the split f'_A fixed by the targets,
    the overall balance makes ``P_A`` met exactly when ``P_B`` is, so one test checks both.

    Parameters
    ----------
    beta : float
        Separation factor of A over B [-], > 1.
    feed_a : float
        Mole fraction of A in the RE feed [-].
    purity_a, purity_b : float
        Targets for the organic (A) and raffinate (B) products, mole fraction of RE [-].
    feed_phase : {"aqueous", "organic"}
    """
    beta, fa, pa, pb = check_cut_inputs(beta, feed_a, purity_a, purity_b, feed_phase)
    fpa = split_fraction(fa, pa, pb)
    s, w, e_m, e_ms, controlling = optimum_flows(beta, fpa, feed_phase)
    n_f, m_f = formula_stages(beta, fa, pa, pb, e_m, e_ms, feed_phase)
    estimate = max(n_f + m_f, fenske_min_stages(beta, pa, pb))
    if not estimate <= MAX_STAGES:
        raise InputError(f"the targets need about {estimate:,.0f} stages at beta {beta:g}, beyond "
                         f"the limit of {MAX_STAGES:,} (expected a larger beta or lower purities)",
                         key="beta")
    n_lo, n_hi = 1, max(int(math.ceil(2.5 * max(n_f, 1.0))) + 6, 8)
    m_hi = max(int(math.ceil(3.0 * max(m_f, 1.0))) + 8, 16)
    for _ in range(6):
        n_arr = np.arange(n_lo, n_hi + 1)
        m_min = _min_scrub_stages(n_arr, beta, fa, s, w, pb, feed_phase, m_hi)
        total = np.where(m_min <= m_hi, n_arr + m_min, np.iinfo(np.int64).max)
        best = total.min()
        if best < np.iinfo(np.int64).max and n_arr[total == best].max() < n_hi:
            break
        n_hi, m_hi = 2 * n_hi, 2 * m_hi
    else:  # pragma: no cover - the optimum flows always admit a finite design
        raise RuntimeError("no feasible stage numbers found")
    cand = np.flatnonzero(total == best)
    ratio_f = max(n_f, 0.5) / (max(n_f, 0.5) + max(m_f, 0.5))
    pick = cand[np.argmin(np.abs(n_arr[cand] / best - ratio_f))]
    n, m = int(n_arr[pick]), int(m_min[pick])
    if n + m > MAX_STAGES:
        raise InputError(f"the targets need {n + m:,} stages at beta {beta:g}, beyond the limit of "
                         f"{MAX_STAGES:,} (expected a larger beta or lower purities)", key="beta")
    sim = simulate_cut(beta, fa, n, m, s, w, feed_phase)
    return CutDesign(
        beta=beta, feed_a=fa, purity_a=pa, purity_b=pb, feed_phase=feed_phase,
        extraction_stages=n, scrub_stages=m,
        formula_extraction_stages=n_f, formula_scrub_stages=m_f,
        fenske_min_stages=fenske_min_stages(beta, pa, pb),
        simulated_purity_a=sim.purity_a, simulated_purity_b=sim.purity_b,
        recovery_a=sim.recovery_a, recovery_b=sim.recovery_b, split_a=fpa,
        organic_load=s, scrub_flow=w, extraction_ratio=e_m, scrub_extraction_ratio=e_ms,
        controlling_section=controlling, min_scrub_flow=min_reflux(beta, fa, pa, fpa),
    )


def purity_cost_curve(beta, feed_a, purities=(0.995, 0.999, 0.9999, 0.99999),
                      feed_phase="aqueous") -> pd.DataFrame:
    """The purity lever of one cut: stages, flows, reagents and mixer volume vs target purity.

    Both products are held at the same target.  Reagents follow the saponified-SX stoichiometry
    (3 mol base and >= 3 mol HCl per mol RE loaded, 3 H+ per RE3+).  ``relative_mixer_volume``
    is S (n + m) relative to the first row (Xu's optimisation objective; mixer volume scales with
    the organic flow times the stage count at a fixed O/A and residence time).
    """
    rows = []
    for p in purities:
        d = design_cut(beta, feed_a, p, p, feed_phase)
        rows.append({
            "purity": p, "extraction_stages": d.extraction_stages,
            "scrub_stages": d.scrub_stages, "total_stages": d.total_stages,
            "organic_load": d.organic_load, "scrub_flow": d.scrub_flow,
            "base_mol_per_mol_feed": 3.0 * d.organic_load,
            "hcl_mol_per_mol_feed": 3.0 * d.organic_load,
            "reagent_mol_per_mol_feed": 6.0 * d.organic_load,
            "mixer_volume_index": d.organic_load * d.total_stages,
        })
    df = pd.DataFrame(rows)
    df["relative_mixer_volume"] = df["mixer_volume_index"] / df["mixer_volume_index"].iloc[0]
    return df
