"""The means of the coordination, per year: staff time, budget lines, funding received."""
