"""Monthly statistics (rules 一.1(7), 一.3(3), 二.6): figures computed in SQL from the timeline, so that a
past month reads the same however the items move on afterwards."""
