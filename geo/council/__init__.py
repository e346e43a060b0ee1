"""What a council officer filters and measures: the workspace selection and its matching, play
coverage, wards at a glance and population.
"""
