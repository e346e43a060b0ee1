"""Every voice kept safe: anonymous and children's voices, concern reports, inspections,
and the redaction of personal data before anything is stored.
"""
