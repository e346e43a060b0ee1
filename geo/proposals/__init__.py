"""A proposal from draft to decision: the proposer's form, the workflow that writes it, reading
it back, the checks beside the map, the legal status steps, supports and comments, the timeline.
"""
