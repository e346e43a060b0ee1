"""A proposal from draft to decision: the workflow, the checks beside the map, the legal
status steps, supports and comments, and the timeline.
"""
