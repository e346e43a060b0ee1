"""Walking over the real street network: streets read from OpenStreetMap, and distances
along them."""
