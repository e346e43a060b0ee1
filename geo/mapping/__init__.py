"""Maps as people see them: folium layers and legends, locally served Leaflet assets,
and the Explore view.
"""
