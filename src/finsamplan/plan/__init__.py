"""The plan file: its model, the YAML it is read from with places, and where plans live."""
