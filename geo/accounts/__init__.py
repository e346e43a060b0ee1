"""Who someone is: accounts, passwords and roles, server-side sessions, and the limits
that slow down guessing and flooding.
"""
