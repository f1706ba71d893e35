"""Public disclosure, no login: complaint information per business for complainants who consented, and the
bureau's consumer alerts (消费警示, rules 一.1(7))."""
