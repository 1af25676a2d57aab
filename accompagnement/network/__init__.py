"""The network itself as data: its name, départements, partner organisations, yearly plan, texts."""
