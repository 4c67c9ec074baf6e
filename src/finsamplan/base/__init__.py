"""The ground floor: kronor and shares, the finding record, safe file writing."""
