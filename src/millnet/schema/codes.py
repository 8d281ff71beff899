"""ISO 3166 alpha-2 country and ISO 4217 currency codes."""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def is_country(code: str) -> bool:
    return code in country_codes()


def is_currency(code: str) -> bool:
    return code in currency_codes()
