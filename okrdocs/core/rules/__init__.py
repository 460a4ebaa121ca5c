"""The gate: the rules a folder must meet (`validation`), the check that ties reading and
rules together for every front end (`check`), and the change between two checks (`diffing`)."""
