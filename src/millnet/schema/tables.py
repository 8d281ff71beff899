"""The case tables, declared once.

Units are written in terms of the case's own settings (``case.toml``): *currency* is the case
currency unless a row names another one, *mass* is the mass unit, *distance* the distance unit.
"""

from __future__ import annotations

from millnet.schema.core import Column, ForeignKey, Table

SEGMENTS = (
    "aerospace",
    "appliance",
    "automotive",
    "electronics_datacom",
    "industrial_energy",
    "medical",
)
CHANNELS = ("wire_supplier", "distributor", "oem")
PLANT_STATES = ("running", "idle", "closed")
PRICE_BASES = ("fixed", "metal_plus_adder")
METALS = ("copper", "silver", "nickel", "tin")
QUALIFICATION_STATUSES = ("qualified", "qualifiable")
COATINGS = ("none", "tin", "silver", "nickel")


def _money(name: str, description: str, unit: str = "currency", **kw: object) -> Column:
    return Column(name, "float", description, unit=unit, min=0.0, **kw)  # type: ignore[arg-type]


PERIODS = Table(
    name="periods",
    description="The planning calendar: contiguous periods in order.",
    columns=(
        Column("id", "str", "Period id, e.g. 2009Q1."),
        Column("start", "date", "First day of the period."),
        Column("end", "date", "Last day of the period (inclusive)."),
        Column("order", "int", "Position in the calendar: 1, 2, 3, … without gaps.", min=1),
    ),
    primary_key=("id",),
    min_rows=1,
)

PLANTS = Table(
    name="plants",
    description="Manufacturing plants with their lifecycle economics.",
    columns=(
        Column("id", "str", "Plant id, e.g. camden-ny."),
        Column("name", "str", "Plant name as people say it."),
        Column("country", "str", "Country of the plant.", kind="country"),
        Column("region", "str", "Region used by freight rates (e.g. US-Northeast, EU)."),
        Column(
            "role",
            "str",
            "What the plant does, in words (e.g. rod breakdown and redraw).",
            required=False,
        ),
        Column("lat", "float", "Latitude.", unit="degree", min=-90.0, max=90.0),
        Column("lon", "float", "Longitude.", unit="degree", min=-180.0, max=180.0),
        Column("initial_state", "str", "State before the first period.", choices=PLANT_STATES),
        Column("currency", "str", "Currency of this plant's costs.", kind="currency"),
        _money("fixed_cost_running", "Fixed cost per period while running.", "currency/period"),
        _money("fixed_cost_idle", "Fixed cost per period while idle.", "currency/period"),
        _money("cost_to_idle", "One-time cost of going from running to idle."),
        _money("cost_to_restart", "One-time cost of going from idle to running."),
        _money("cost_to_close", "One-time cost of closing (closed is final)."),
        Column(
            "restart_lead_periods",
            "int",
            "Periods between a restart decision and the first output.",
            unit="periods",
            min=0,
        ),
        Column("min_idle_periods", "int", "Least number of periods a plant stays idle.", min=0),
        Column(
            "min_output",
            "float",
            "Least output of a running plant per period.",
            unit="mass/period",
            required=False,
            default=0.0,
            min=0.0,
        ),
        Column("notes", "str", "Free text; sources and assumptions.", required=False),
    ),
    primary_key=("id",),
    min_rows=1,
)

RESOURCES = Table(
    name="resources",
    description="Process capacity of each plant, per resource.",
    columns=(
        Column("plant_id", "str", "Plant."),
        Column(
            "resource",
            "str",
            "Resource name, e.g. rod_breakdown, fine_drawing, tinning, silver_plating, "
            "nickel_plating, stranding.",
        ),
        Column("capacity", "float", "Capacity per period.", unit="capacity unit/period", min=0.0),
        Column("capacity_unit", "str", "Unit of capacity, e.g. lb or hour."),
        _money("variable_cost", "Variable cost per capacity unit used.", "currency/capacity unit"),
    ),
    primary_key=("plant_id", "resource"),
    foreign_keys=(ForeignKey(("plant_id",), "plants", ("id",)),),
    min_rows=1,
)

PRODUCTS = Table(
    name="products",
    description="Products, optionally with the wire construction the wire engine reads.",
    columns=(
        Column("id", "str", "Product id."),
        Column("family", "str", "Product family, e.g. bare_fine, silver_plated."),
        Column("description", "str", "What the product is.", required=False),
        Column("gauge", "str", "AWG of the conductor, e.g. 20 or 4/0.", required=False),
        Column("strands", "int", "Number of strands (1 = solid).", required=False, min=1),
        Column("strand_gauge", "str", "AWG of each strand.", required=False),
        Column("coating", "str", "Coating metal.", required=False, choices=COATINGS),
        Column(
            "coating_class",
            "str",
            "Coating class or amount: silver A–E (ASTM B298), nickel 2/4/7/10/27 (ASTM B355), "
            "or a weight % (2%) or thickness (40uin).",
            required=False,
        ),
    ),
    primary_key=("id",),
    min_rows=1,
)

ROUTINGS = Table(
    name="routings",
    description="Resources a product uses, per unit of product.",
    columns=(
        Column("product_id", "str", "Product."),
        Column("resource", "str", "Resource used."),
        Column(
            "usage",
            "float",
            "Capacity used per unit of product.",
            unit="capacity unit/mass",
            min=0.0,
        ),
        Column(
            "yield",
            "float",
            "Good output per unit of input at this step.",
            unit="fraction",
            required=False,
            default=1.0,
            min=0.0,
            min_exclusive=True,
            max=1.0,
        ),
    ),
    primary_key=("product_id", "resource"),
    foreign_keys=(ForeignKey(("product_id",), "products", ("id",)),),
    min_rows=1,
)

CUSTOMERS = Table(
    name="customers",
    description="Customers (ship-to locations).",
    columns=(
        Column("id", "str", "Customer id."),
        Column("name", "str", "Customer name."),
        Column("segment", "str", "Market segment.", choices=SEGMENTS),
        Column("channel", "str", "Sales channel.", choices=CHANNELS),
        Column("country", "str", "Country of the ship-to location.", kind="country"),
        Column("lat", "float", "Latitude.", unit="degree", min=-90.0, max=90.0),
        Column("lon", "float", "Longitude.", unit="degree", min=-180.0, max=180.0),
        Column("region", "str", "Region used by freight rates.", required=False),
    ),
    primary_key=("id",),
    min_rows=1,
)

DEMAND = Table(
    name="demand",
    description="What each customer orders of each product in each period, and how it is priced.",
    columns=(
        Column("customer_id", "str", "Customer."),
        Column("product_id", "str", "Product."),
        Column("period_id", "str", "Period."),
        Column("quantity", "float", "Quantity ordered.", unit="mass", min=0.0),
        Column(
            "price_basis",
            "str",
            "fixed: the price column; metal_plus_adder: metal content at the period's index "
            "price plus premium, plus the conversion adder.",
            choices=PRICE_BASES,
        ),
        _money(
            "price",
            "Price per unit (price_basis fixed).",
            "currency/mass",
            nullable=True,
        ),
        _money(
            "conversion_adder",
            "Conversion adder per unit (price_basis metal_plus_adder).",
            "currency/mass",
            nullable=True,
        ),
        Column(
            "tolled",
            "bool",
            "The customer supplies its own copper.",
            required=False,
            default=False,
        ),
    ),
    primary_key=("customer_id", "product_id", "period_id"),
    foreign_keys=(
        ForeignKey(("customer_id",), "customers", ("id",)),
        ForeignKey(("product_id",), "products", ("id",)),
        ForeignKey(("period_id",), "periods", ("id",)),
    ),
    min_rows=1,
)

QUALIFICATIONS = Table(
    name="qualifications",
    description=(
        "Which plants may make which products (for which customers). A product with no row here "
        "may be made at any plant whose resources cover its routing; a product with rows (by id "
        "or by family) only at the plants listed."
    ),
    columns=(
        Column("plant_id", "str", "Plant."),
        Column("product_id", "str", "Product (blank when family is given).", nullable=True),
        Column("family", "str", "Product family (blank when product_id is given).", nullable=True),
        Column("customer_id", "str", "Customer (blank = any customer).", nullable=True),
        Column("status", "str", "Qualification status.", choices=QUALIFICATION_STATUSES),
        _money(
            "requalification_cost",
            "One-time cost to qualify (status qualifiable).",
            required=False,
            default=0.0,
        ),
        Column(
            "requalification_lead_periods",
            "int",
            "Periods from the qualification decision to the first qualified output.",
            unit="periods",
            required=False,
            default=0,
            min=0,
        ),
    ),
    primary_key=("plant_id", "product_id", "family", "customer_id"),
    foreign_keys=(
        ForeignKey(("plant_id",), "plants", ("id",)),
        ForeignKey(("product_id",), "products", ("id",)),
        ForeignKey(("family",), "products", ("family",)),
        ForeignKey(("customer_id",), "customers", ("id",)),
    ),
    required=False,
)

FREIGHT = Table(
    name="freight",
    description=(
        "Freight rates between regions or countries (origin: the plant's region or country; "
        "destination: the customer's region or country; * matches any)."
    ),
    columns=(
        Column("origin", "str", "Origin region or country code, or *."),
        Column("destination", "str", "Destination region or country code, or *."),
        Column("mode", "str", "Transport mode, e.g. truck, ocean."),
        _money(
            "cost_per_mass_distance",
            "Freight cost per unit of mass and distance.",
            "currency/(mass·distance)",
        ),
        _money("fixed_per_shipment", "Fixed cost per shipment.", "currency/shipment"),
    ),
    primary_key=("origin", "destination", "mode"),
    required=False,
)

LANES = Table(
    name="lanes",
    description="Freight cost overrides for a plant–customer pair.",
    columns=(
        Column("plant_id", "str", "Plant."),
        Column("customer_id", "str", "Customer."),
        _money("cost_per_unit", "Freight cost per unit shipped.", "currency/mass"),
    ),
    primary_key=("plant_id", "customer_id"),
    foreign_keys=(
        ForeignKey(("plant_id",), "plants", ("id",)),
        ForeignKey(("customer_id",), "customers", ("id",)),
    ),
    required=False,
)

SOURCING = Table(
    name="sourcing",
    description="Who serves each customer and product today, and what moving it would cost.",
    columns=(
        Column("customer_id", "str", "Customer."),
        Column("product_id", "str", "Product."),
        Column("plant_id", "str", "Plant that serves the pair today."),
        _money(
            "move_cost",
            "One-time cost of serving the pair from another plant (requalification at the "
            "customer, trials, paperwork); blank: the model option move_cost.",
            required=False,
        ),
    ),
    primary_key=("customer_id", "product_id"),
    foreign_keys=(
        ForeignKey(("customer_id",), "customers", ("id",)),
        ForeignKey(("product_id",), "products", ("id",)),
        ForeignKey(("plant_id",), "plants", ("id",)),
    ),
    required=False,
)

DUTIES = Table(
    name="duties",
    description="Import duty by origin and destination country, as a fraction of value.",
    columns=(
        Column("origin_country", "str", "Country shipped from.", kind="country"),
        Column("destination_country", "str", "Country shipped to.", kind="country"),
        Column("rate", "float", "Duty rate.", unit="fraction", min=0.0, max=10.0),
    ),
    primary_key=("origin_country", "destination_country"),
    required=False,
)

METAL_PRICES = Table(
    name="metal_prices",
    description="Metal index prices and physical premiums per period.",
    columns=(
        Column("period_id", "str", "Period."),
        Column("metal", "str", "Metal.", choices=METALS),
        Column("price", "float", "Index price.", unit="unit column", min=0.0),
        Column("unit", "str", "Price unit.", kind="metal_unit"),
        Column(
            "premium",
            "float",
            "Physical premium on top of the index price.",
            unit="unit column",
            required=False,
            default=0.0,
            min=0.0,
        ),
    ),
    primary_key=("period_id", "metal"),
    foreign_keys=(ForeignKey(("period_id",), "periods", ("id",)),),
)

FX = Table(
    name="fx",
    description="Exchange rates: case currency per unit of the row's currency, per period.",
    columns=(
        Column("period_id", "str", "Period."),
        Column("currency", "str", "Currency converted.", kind="currency"),
        Column(
            "rate",
            "float",
            "Case currency per unit of this currency.",
            unit="case currency/currency",
            min=0.0,
            min_exclusive=True,
        ),
    ),
    primary_key=("period_id", "currency"),
    foreign_keys=(ForeignKey(("period_id",), "periods", ("id",)),),
    required=False,
)

#: Every table, in the order they are documented, read and fingerprinted.
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        PERIODS,
        PLANTS,
        RESOURCES,
        PRODUCTS,
        ROUTINGS,
        CUSTOMERS,
        DEMAND,
        QUALIFICATIONS,
        FREIGHT,
        LANES,
        SOURCING,
        DUTIES,
        METAL_PRICES,
        FX,
    )
}
