"""Writes of the emissions app, one module per concern; each public function owns its
transaction: `inventory` (a dossier's factory, inventory, lines and serial claims), `records`
(factories, inventories and lines one at a time, and the inventory lock), `changes` (a change
checked by the dossier's rules in the document it changes), `evidence`, `readings` (meters,
readings and their monthly roll-up)."""
