"""A customer the IVR recognises by the number they call from."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Tier(StrEnum):
    STANDARD = "standard"
    GOLD = "gold"
    PLATINUM = "platinum"


class Language(StrEnum):
    JA = "ja"
    EN = "en"


class Customer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    customer_id: str = Field(min_length=1, max_length=64)
    phone_e164: str = Field(pattern=r"^\+[1-9]\d{6,14}$")
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(default="", max_length=100)
    preferred_language: Language = Language.JA
    tier: Tier = Tier.STANDARD
