"""Writes of the emissions app, one module per concern; each public function owns its
transaction: `inventory` (factories, inventories, their lines and serial claims), `evidence`,
`readings` (meters, readings and their monthly roll-up)."""
