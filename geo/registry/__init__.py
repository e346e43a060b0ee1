"""What is on the ground: wards and other areas, play areas, initiatives, and the filter
of the public map.
"""
