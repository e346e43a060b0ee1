"""Shared work after approval: milestones and check-ins, recognition, partners, events
and the ward newsletter.
"""
