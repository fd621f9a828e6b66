"""Administrative penalty cases (行政处罚) under the three enforcement systems (issue 3).

See docs/enforcement.md for the state machine, the deadlines and the enforced rules.
"""
