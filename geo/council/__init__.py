"""What a council officer filters and measures: the workspace selection, play coverage,
wards at a glance and population.
"""
