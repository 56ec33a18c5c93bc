"""The commands of `agreements`, one module per family, each loaded when it runs.

`cli.py` holds the table of names; `options.py` the options several commands share;
`shared.py` the few helpers several families use (loading the register, finding a record).
"""
