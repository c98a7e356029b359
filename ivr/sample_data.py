"""Sample customers for demos and local tests: `ivr seed` writes them to any store.

Japanese and US numbers, Japanese and English speakers, every tier. The demo call
(`make demo`) comes from +81312345678, Taro, who hears Japanese and is gold.
"""

from __future__ import annotations

from models.customer import Customer, Language, Tier

SAMPLE_CUSTOMERS: tuple[Customer, ...] = (
    Customer(
        customer_id="cust-0001",
        phone_e164="+81312345678",
        first_name="Taro",
        last_name="Yamada",
        preferred_language=Language.JA,
        tier=Tier.GOLD,
    ),
    Customer(
        customer_id="cust-0002",
        phone_e164="+819012345678",
        first_name="Hanako",
        last_name="Suzuki",
        preferred_language=Language.JA,
        tier=Tier.STANDARD,
    ),
    Customer(
        customer_id="cust-0003",
        phone_e164="+12025550123",
        first_name="Jane",
        last_name="Doe",
        preferred_language=Language.EN,
        tier=Tier.PLATINUM,
    ),
    Customer(
        customer_id="cust-0004",
        phone_e164="+14155550199",
        first_name="John",
        last_name="Smith",
        preferred_language=Language.EN,
        tier=Tier.STANDARD,
    ),
    # An English speaker calling from a Japanese mobile.
    Customer(
        customer_id="cust-0005",
        phone_e164="+818012345678",
        first_name="Emily",
        last_name="Clark",
        preferred_language=Language.EN,
        tier=Tier.GOLD,
    ),
    # A Japanese speaker calling from a US number.
    Customer(
        customer_id="cust-0006",
        phone_e164="+13125550142",
        first_name="Yuki",
        last_name="Tanaka",
        preferred_language=Language.JA,
        tier=Tier.PLATINUM,
    ),
)
