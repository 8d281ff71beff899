"""Jinja2 templates and the filters they share (numbers, money, states)."""

from __future__ import annotations

import json
import math
import time
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

import millnet

TEMPLATES = Path(str(resources.files("millnet.web") / "templates"))

templates = Jinja2Templates(directory=TEMPLATES)


def number(value: Any, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, int | float):
        return f"{value:,.{digits}f}"
    return str(value)


def money(value: Any, currency: str = "") -> str:
    """``USD 1.2 M`` style, as the report tells it."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    amount = float(value)
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    prefix = f"{currency} " if currency else ""
    if amount >= 1e9:
        return f"{sign}{prefix}{amount / 1e9:,.2f} bn"
    if amount >= 1e6:
        return f"{sign}{prefix}{amount / 1e6:,.2f} M"
    return f"{sign}{prefix}{amount:,.0f}"


def percent(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{float(value) * 100:,.{digits}f} %"


def when(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, int | float):
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(value))
    return str(value).replace("T", " ").split(".")[0].rstrip("Z")


def seconds(value: Any) -> str:
    if value is None:
        return "—"
    value = float(value)
    if value < 60:
        return f"{value:.1f} s"
    return f"{int(value // 60)} min {int(value % 60):02d} s"


def json_script(value: Any) -> Markup:
    """Data for a page's script, safe inside ``<script type="application/json">``."""
    text = json.dumps(value, default=str, allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


templates.env.filters.update(
    number=number, money=money, percent=percent, when=when, seconds=seconds, json=json_script
)
templates.env.globals["version"] = millnet.__version__


def page(request: Request, name: str, status_code: int = 200, **context: Any):
    context.setdefault("nav", name.split("/")[0].split(".")[0])
    return templates.TemplateResponse(request, name, context, status_code=status_code)
