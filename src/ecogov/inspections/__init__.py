"""Random inspections (双随机、一公开): plans, verifiable draws, inspection records.

`ecogov.inspections.draw` is the pure draw engine (no Django); the app freezes the pools
from the database, calls it, and stores the seed, the input hash and the result.
"""
