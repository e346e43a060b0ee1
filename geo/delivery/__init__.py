"""What runs on a schedule, outside any page: reminders, newsletters, and sending the
e-mail outbox (the app's background thread and ``python -m geo send`` for cron)."""
