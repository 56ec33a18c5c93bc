"""The I/O boundary: finding a register, reading its files, the index, writing safely.

Nothing above this package opens a register file: `loader.load` asks it for
parsed files, and the writing commands go through `store.write`.
"""
