"""Why a plan is what it is: the value of capacity, a plant's alternatives and their cost,
near-optimal plans, and the break-even value of a knob.

Modules: ``capacity`` (shadow prices of capacity rows), ``explain`` (force each other state on
a plant and compare), ``alternatives`` (distinct plans within a cost band), ``knobs`` (named
scalar changes of a case) and ``breakeven`` (bisection on a knob), ``parallel`` (many solves on
Dask). Nothing is imported here, so that the pipeline can use ``capacity`` without loading the
rest.
"""
