"""The coordination's exchanges with a project (meetings, calls, visits on site, workshops,
e-mails) and the accompaniment time they add up to: per project, stage, coordinator and period."""
