"""The national role: every network's aggregate figures, never a holder's personal data."""
