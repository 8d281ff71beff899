"""The result tables' columns, declared once: what each holds and in which unit.

The HTML tables and the workbook both read these declarations, so a column has the same header,
unit and number format everywhere. Tables or columns not declared here (added by later versions
or other layers) are still shown: numbers in a general format, headers without a unit.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Unit kinds: how a kind reads as a unit for a given case (``None``: no unit in the header).
UNIT_KINDS = (
    "money",
    "rate",
    "mass",
    "quantity",
    "share",
    "degree",
    "count",
    "periods",
    "distance",
)


@dataclass(frozen=True)
class ResultColumn:
    name: str
    kind: str | None
    description: str


@dataclass(frozen=True)
class ResultTable:
    name: str
    title: str
    description: str
    columns: tuple[ResultColumn, ...]

    def column(self, name: str) -> ResultColumn | None:
        return next((c for c in self.columns if c.name == name), None)


def _c(name: str, kind: str | None, description: str) -> ResultColumn:
    return ResultColumn(name, kind, description)


_FLOW_COLUMNS = (
    _c("plant", None, "Plant that makes and ships."),
    _c("customer", None, "Customer served."),
    _c("product", None, "Product."),
    _c("period", None, "Period."),
    _c("quantity", "mass", "Quantity shipped."),
    _c("distance", "distance", "Great-circle distance times circuity."),
    _c("mode", None, "Freight mode."),
    _c("variable", "rate", "Variable (process) cost per unit."),
    _c("freight", "rate", "Freight cost per unit."),
    _c("duty", "rate", "Import duty per unit."),
    _c("metal", "rate", "Metal cost per unit."),
    _c("revenue", "rate", "Revenue per unit."),
    _c("demand", "count", "Index of the demand row."),
    _c("lane", "count", "Index of the lane."),
)

TABLES: dict[str, ResultTable] = {
    t.name: t
    for t in (
        ResultTable(
            "plant_states",
            "Plant states",
            "State of every plant in every period (planned = false: history before the plan).",
            (
                _c("plant", None, "Plant."),
                _c("period", None, "Period."),
                _c("state", None, "running, idle or closed."),
                _c("planned", None, "Whether the period is planned (not history)."),
            ),
        ),
        ResultTable(
            "transitions",
            "Transitions",
            "Every change of state: idle, restart, close.",
            (
                _c("plant", None, "Plant."),
                _c("period", None, "First period in the new state."),
                _c("from_state", None, "State before."),
                _c("to_state", None, "State after."),
                _c("transition", None, "idle, restart or close."),
            ),
        ),
        ResultTable("flows", "Flows", "Who makes what for whom, per period.", _FLOW_COLUMNS),
        ResultTable(
            "initial_sourcing",
            "Sourcing before the plan",
            "Who served whom before the plan (the reference for customer moves).",
            _FLOW_COLUMNS,
        ),
        ResultTable(
            "moves",
            "Customer moves",
            "Demand rows whose main plant differs from the plant that served them before.",
            (
                _c("customer", None, "Customer."),
                _c("product", None, "Product."),
                _c("period", None, "Period."),
                _c("from_plant", None, "Main plant before the plan."),
                _c("to_plant", None, "Main plant in the plan."),
                _c("quantity", "mass", "Quantity shipped by the new plant."),
            ),
        ),
        ResultTable(
            "unmet",
            "Unmet demand",
            "Demand rows not (fully) served.",
            (
                _c("customer", None, "Customer."),
                _c("product", None, "Product."),
                _c("period", None, "Period."),
                _c("quantity", "mass", "Quantity ordered."),
                _c("unmet", "mass", "Quantity not served."),
                _c("penalty", "rate", "Penalty per unit unmet."),
                _c("row", "count", "Row of the demand table."),
            ),
        ),
        ResultTable(
            "utilisation",
            "Utilisation",
            "Capacity used by plant, resource and period.",
            (
                _c("plant", None, "Plant."),
                _c("resource", None, "Resource."),
                _c("period", None, "Period."),
                _c("used", "quantity", "Capacity used (in the resource's capacity unit)."),
                _c("capacity", "quantity", "Capacity available."),
                _c("capacity_unit", None, "Unit of used and capacity."),
                _c("utilisation", "share", "Used share of capacity."),
            ),
        ),
        ResultTable(
            "costs",
            "Costs",
            "Cost by term, plant and period (plant empty where a term has no plant).",
            (
                _c("term", None, "Cost term."),
                _c("plant", None, "Plant."),
                _c("period", None, "Period."),
                _c("amount", "money", "Cost."),
            ),
        ),
        ResultTable(
            "reference_costs",
            "Costs with all plants running",
            "Cost by term of the reference plan where every plant that can run keeps running.",
            (
                _c("term", None, "Cost term."),
                _c("plant", None, "Plant."),
                _c("period", None, "Period."),
                _c("amount", "money", "Cost."),
            ),
        ),
        ResultTable(
            "qualifications",
            "Qualifications",
            "Qualifications bought: plant, what for, when, cost and lead time.",
            (
                _c("plant", None, "Plant."),
                _c("key", None, "What is qualified (product, family, customer)."),
                _c("period", None, "Period of the decision."),
                _c("cost", "money", "Cost of the qualification."),
                _c("lead", "periods", "Periods before the plant may ship."),
            ),
        ),
        ResultTable(
            "metal",
            "Metal",
            "Metal shipped in products and its cost, by metal and period.",
            (
                _c("metal", None, "Metal."),
                _c("period", None, "Period."),
                _c("mass", "mass", "Metal content shipped."),
                _c("cost", "money", "Metal cost."),
            ),
        ),
        ResultTable(
            "metal_billed",
            "Metal billed",
            "Metal value billed to metal-indexed customers, by metal and period.",
            (
                _c("metal", None, "Metal."),
                _c("period", None, "Period."),
                _c("value", "money", "Metal value billed."),
            ),
        ),
        ResultTable(
            "places",
            "Places",
            "Plants and customers with their coordinates.",
            (
                _c("id", None, "Plant or customer id."),
                _c("kind", None, "plant or customer."),
                _c("name", None, "Name."),
                _c("country", None, "Country."),
                _c("lat", "degree", "Latitude."),
                _c("lon", "degree", "Longitude."),
            ),
        ),
    )
}


def unit_label(kind: str | None, currency: str, mass_unit: str) -> str | None:
    """The unit a column of ``kind`` is in, for a case with this currency and mass unit."""
    labels = {
        "money": currency or None,
        "rate": f"{currency}/{mass_unit}" if currency and mass_unit else None,
        "mass": mass_unit or None,
        "quantity": "capacity unit",
        "share": "%",
        "degree": "°",
        "periods": "periods",
    }
    return labels.get(kind or "")


def header(table: str, column: str, currency: str, mass_unit: str) -> str:
    """``quantity [lb]``, ``amount [USD]``, ``plant``."""
    declared = TABLES.get(table)
    spec = declared.column(column) if declared else None
    unit = unit_label(spec.kind if spec else None, currency, mass_unit)
    return f"{column} [{unit}]" if unit else column


def kind_of(table: str, column: str) -> str | None:
    declared = TABLES.get(table)
    spec = declared.column(column) if declared else None
    return spec.kind if spec else None


def describe(table: str, column: str) -> str:
    declared = TABLES.get(table)
    spec = declared.column(column) if declared else None
    return spec.description if spec else ""


#: Number kinds of the KPI tables' columns (``millnet.results.kpis``), by column name.
KPI_KINDS: dict[str, str] = {
    "amount": "money",
    "plan": "money",
    "all_running": "money",
    "savings": "money",
    "cost": "money",
    "cost_change": "money",
    "revenue_change": "money",
    "margin_change": "money",
    "quantity": "mass",
    "shipped": "mass",
    "unmet": "mass",
    "mass": "mass",
    "share": "share",
    "utilisation": "share",
    "distance": "distance",
    "capacity": "quantity",
    "used": "quantity",
}


def kpi_header(column: str, currency: str, mass_unit: str) -> str:
    unit = unit_label(KPI_KINDS.get(column), currency, mass_unit)
    return f"{column} [{unit}]" if unit else column
