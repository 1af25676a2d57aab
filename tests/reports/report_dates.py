"""The period of the report tests' known year (imported by conftest and the tests)."""

import datetime as dt

START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
