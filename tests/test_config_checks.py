"""Checks of single settings values (opinion.config_checks)."""

from __future__ import annotations

import pytest

from opinion.cli.options import flag_for
from opinion.config_checks import check_period
from opinion.errors import InputError


@pytest.mark.parametrize("flag, shown", [(None, "--period"), ("--period-unit", "--period-unit")])
def test_config_checks_period_error_names_the_flag_it_was_set_with(flag, shown):
    """`opinion keywords --period-unit Month` said `--period must be one of …` (2026-12-08)."""
    with pytest.raises(InputError) as caught:
        check_period("Month", flag=flag)
    assert caught.value.shown_as(flag_for(caught.value)) == f"{shown} must be one of day, week, month; got 'Month'"
    assert str(caught.value) == "period must be one of day, week, month; got 'Month'"


def test_config_checks_period_passes_the_units_and_none():
    assert [check_period(p) for p in ("day", "week", "month", None)] == ["day", "week", "month", None]
