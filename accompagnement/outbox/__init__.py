"""The outbox: e-mails written in the same transaction as their event, sent later by a command."""
